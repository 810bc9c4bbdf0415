package org.tl4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.progress.Progress;
import org.tl4j.progress.ProgressTask;

/**
 * The featurize cache: a folder of {@link FeatureFile}s named by {@link FeatureCacheKey#digest()}. A frozen
 * trunk's output for a split is computed once, streamed batch by batch to disk, and reused while every part of
 * the key stays the same; a file that fails its checks is recomputed, never trusted.
 */
public final class FeatureCache {

    /** Extension of cache files. */
    public static final String EXTENSION = ".feat";
    /** Sub-folder of tl4j's cache root ({@code $TL4J_CACHE}) holding feature caches. */
    public static final String FOLDER_NAME = "features";

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    private final Path folder;

    /** A cache in {@code folder} (created when first written). */
    public FeatureCache(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
    }

    /**
     * The default folder: {@code $TL4J_CACHE/features}, else {@code $XDG_CACHE_HOME/tl4j/features}, else
     * {@code ~/.cache/tl4j/features}.
     */
    public static Path defaultFolder() {
        String root = System.getenv("TL4J_CACHE");
        if (root != null && !root.isBlank()) {
            return Path.of(root, FOLDER_NAME);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "tl4j", FOLDER_NAME);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tl4j", FOLDER_NAME);
    }

    /** The cache's folder. */
    public Path folder() {
        return folder;
    }

    /** Where the features for a key live. */
    public Path fileFor(FeatureCacheKey key) {
        return folder.resolve(key.digest() + EXTENSION);
    }

    /** What {@link #getOrCompute} did. */
    public record Result(FeatureFile features, boolean computed, double seconds) {
    }

    /**
     * The cached features for a key, computing them when there is no valid cache file.
     *
     * @param key    what the features depend on; must describe {@code images} and {@code trunk}
     * @param images the split's images in a fixed order (not shuffled), one-hot labels; read once when computing
     * @param total  number of images, for progress lines
     * @param trunk  the frozen trunk to run them through
     */
    public Result getOrCompute(FeatureCacheKey key, DataSetIterator images, int total, FeatureTrunk trunk)
            throws IOException {
        Path file = fileFor(key);
        long start = System.nanoTime();
        if (Files.exists(file)) {
            try {
                FeatureFile cached = FeatureFile.open(file, key.describe());
                if (cached.rows() != total) {
                    cached.close();
                    throw new FeatureFileCorruptException(file, "holds " + cached.rows() + " rows, the split has "
                            + total + " images");
                }
                return new Result(cached, false, (System.nanoTime() - start) / 1e9);
            } catch (FeatureFileCorruptException e) {
                LOG.warn("{}; recomputing it", e.getMessage());
                Files.deleteIfExists(file);
            }
        }
        compute(key, images, total, trunk, file);
        return new Result(FeatureFile.open(file, key.describe()), true, (System.nanoTime() - start) / 1e9);
    }

    private void compute(FeatureCacheKey key, DataSetIterator images, int total, FeatureTrunk trunk, Path file)
            throws IOException {
        long start = System.nanoTime();
        try (FeatureFile.Writer writer = FeatureFile.create(file, key.describe(), images.totalOutcomes());
             ProgressTask progress = Progress.start("featurizing at " + trunk.cut(), total)) {
            if (images.resetSupported()) {
                images.reset();
            }
            while (images.hasNext()) {
                DataSet batch = images.next();
                INDArray features = trunk.activations(batch.getFeatures());
                writer.append(features, labelIndices(batch.getLabels()));
                progress.stepBy(features.size(0));
                // Free the off-heap buffers now: left to the GC, they pile up until JavaCPP's memory limit makes
                // every allocation wait for a System.gc(), which slowed a 500-image pass down as it went.
                release(features, batch.getFeatures(), batch.getLabels());
            }
            if (writer.rows() != total) {
                throw new IllegalStateException("the image iterator gave " + writer.rows() + " images, expected "
                        + total);
            }
            writer.commit();
        }
        double s = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format(Locale.ROOT, "featurized %d images at %s in %.1f s (%.0f images/s) -> %s", total,
                trunk.cut(), s, total / s, file));
    }

    private static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }

    private static int[] labelIndices(INDArray oneHot) {
        long[] argmax = oneHot.argMax(1).toLongVector();
        int[] labels = new int[argmax.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) argmax[i];
        }
        return labels;
    }
}
