package org.tl4j.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a user should know about a manifest before training: images per class, how imbalanced the classes are,
 * the spread of image sizes, what was rejected and why, and warnings (empty classes, a single class).
 *
 * @param root           the scanned folder
 * @param images         usable images
 * @param rejectedCount  rejected files
 * @param classCounts    usable images per class, in class order
 * @param imbalanceRatio largest class count / smallest (infinite when a class is empty, NaN with no classes)
 * @param sizeHistogram  "W x H" size buckets (e.g. "17-32 x 17-32") -> images, sorted by size
 * @param rejected       path -> reason, for every rejected file
 * @param warnings       problems that will stop or hurt training
 * @param notes          what the scan skipped
 */
public record DatasetSummary(String root, int images, int rejectedCount, Map<String, Integer> classCounts,
                             double imbalanceRatio, Map<String, Integer> sizeHistogram, Map<String, String> rejected,
                             List<String> warnings, List<String> notes) {

    /** Upper bounds of the size buckets, in pixels. */
    private static final int[] BUCKETS = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    /** Summarises a manifest. */
    public static DatasetSummary of(Manifest manifest) {
        Map<String, Integer> counts = manifest.countsPerClass();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        double ratio = counts.isEmpty() ? Double.NaN : min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
        TreeMap<Long, String> order = new TreeMap<>();
        Map<String, Integer> histogram = new LinkedHashMap<>();
        Map<String, Integer> unordered = new TreeMap<>();
        for (Manifest.Entry e : manifest.okEntries()) {
            int bw = bucket(e.width());
            int bh = bucket(e.height());
            String key = label(bw) + " x " + label(bh);
            order.put((long) bw * 100 + bh, key);
            unordered.merge(key, 1, Integer::sum);
        }
        order.values().forEach(key -> histogram.put(key, unordered.get(key)));
        Map<String, String> rejected = new LinkedHashMap<>();
        manifest.rejected().forEach(e -> rejected.put(e.path(), e.reason()));
        List<String> warnings = new ArrayList<>();
        if (counts.size() == 1) {
            warnings.add("only one class ('" + counts.keySet().iterator().next()
                    + "'): a classifier needs at least two class folders");
        }
        counts.forEach((label, n) -> {
            if (n == 0) {
                warnings.add("class '" + label + "' has no usable images: add images or remove its folder");
            }
        });
        if (ratio > 10 && Double.isFinite(ratio)) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "classes are imbalanced (largest/smallest = %.1f): accuracy will flatter the model", ratio));
        }
        if (!rejected.isEmpty()) {
            warnings.add(rejected.size() + (rejected.size() == 1 ? " file was" : " files were")
                    + " rejected and will not be used (see the rejected list for the reasons)");
        }
        return new DatasetSummary(manifest.root().toString(), manifest.okEntries().size(), rejected.size(), counts,
                ratio, histogram, rejected, warnings, manifest.notes());
    }

    /** Index of the smallest bucket holding the size (BUCKETS.length for "larger"). */
    private static int bucket(int size) {
        for (int i = 0; i < BUCKETS.length; i++) {
            if (size <= BUCKETS[i]) {
                return i;
            }
        }
        return BUCKETS.length;
    }

    private static String label(int bucket) {
        if (bucket == BUCKETS.length) {
            return ">" + BUCKETS[BUCKETS.length - 1];
        }
        int low = bucket == 0 ? 1 : BUCKETS[bucket - 1] + 1;
        return low + "-" + BUCKETS[bucket];
    }
}
