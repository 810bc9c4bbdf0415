package org.tl4j.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which usable images are for training, validation (tuning, early stopping) and testing (reported once).
 * Made stratified and seeded, or taken from a train/val/test folder layout; saved as {@code splits.json} in the
 * run folder and reused on reruns, so the test set never leaks into tuning.
 */
public final class Splits {

    /** The seed used when the user gives none. */
    public static final long DEFAULT_SEED = 42L;
    /** File name of saved splits inside a run folder. */
    public static final String FILE_NAME = "splits.json";

    /** The three parts. */
    public enum Part {
        TRAIN, VAL, TEST;

        /** Lower-case name as used in files and folder layouts. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Shares of each class that go to train, val and test; they sum to 1.
     */
    public record Fractions(double train, double val, double test) {

        /** 70 / 15 / 15. */
        public static final Fractions DEFAULT = new Fractions(0.70, 0.15, 0.15);

        public Fractions {
            if (!(train > 0) || val < 0 || test < 0 || Math.abs(train + val + test - 1.0) > 1e-6) {
                throw new InvalidInputException("split fractions must be train > 0, val >= 0, test >= 0 summing to"
                        + " 100, got " + Math.round(train * 100) + "," + Math.round(val * 100) + ","
                        + Math.round(test * 100) + ": e.g. --fractions 70,15,15");
            }
        }

        /** Parses "70,15,15" (percent) or "0.7,0.15,0.15". */
        public static Fractions parse(String text) {
            String[] parts = text.split(",");
            if (parts.length != 3) {
                throw new InvalidInputException("fractions need three values train,val,test, got '" + text
                        + "': e.g. 70,15,15");
            }
            double[] v = new double[3];
            try {
                for (int i = 0; i < 3; i++) {
                    v[i] = Double.parseDouble(parts[i].trim());
                }
            } catch (NumberFormatException e) {
                throw new InvalidInputException("fractions must be numbers, got '" + text + "': e.g. 70,15,15");
            }
            double sum = v[0] + v[1] + v[2];
            double unit = Math.abs(sum - 100) < 1e-6 ? 100 : Math.abs(sum - 1) < 1e-6 ? 1 : Double.NaN;
            if (Double.isNaN(unit)) {
                throw new InvalidInputException("fractions must sum to 100 (or 1), got '" + text + "' = " + sum
                        + ": e.g. 70,15,15");
            }
            return new Fractions(v[0] / unit, v[1] / unit, v[2] / unit);
        }

        double of(Part part) {
            return switch (part) {
                case TRAIN -> train;
                case VAL -> val;
                case TEST -> test;
            };
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s/%s/%s", pct(train), pct(val), pct(test));
        }

        private static String pct(double f) {
            double p = f * 100;
            return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.2f", p);
        }
    }

    /** How splits were made. */
    public enum Source {
        /** Seeded and stratified by tl4j. */
        STRATIFIED,
        /** From the train/val/test folders (missing parts carved from train, stratified). */
        LAYOUT
    }

    private record Stored(int formatVersion, String source, long seed, double[] fractions, String dataHash,
                          int images, Map<String, Map<String, Integer>> counts, List<String> train, List<String> val,
                          List<String> test) {
    }

    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Source source;
    private final long seed;
    private final Fractions fractions;
    private final String dataHash;
    private final Map<Part, List<String>> paths;

    private Splits(Source source, long seed, Fractions fractions, String dataHash, Map<Part, List<String>> paths) {
        this.source = source;
        this.seed = seed;
        this.fractions = fractions;
        this.dataHash = dataHash;
        this.paths = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            List<String> sorted = new ArrayList<>(paths.getOrDefault(p, List.of()));
            Collections.sort(sorted);
            this.paths.put(p, List.copyOf(sorted));
        }
    }

    /**
     * Splits each class separately: its images (sorted by path, then shuffled with the seed) go to train, val and
     * test in the given shares, rounded, with at least one image in every part whose share is above 0.
     *
     * @throws InvalidInputException when there are fewer than two classes, or a class is too small to split
     */
    public static Splits stratified(Manifest manifest, Fractions fractions, long seed) {
        checkClasses(manifest);
        Map<Part, List<String>> parts = emptyParts();
        Random random = new Random(seed);
        for (Map.Entry<String, List<String>> cls : pathsByClass(manifest, null).entrySet()) {
            split(cls.getKey(), cls.getValue(), fractions, random, parts, List.of(Part.TRAIN, Part.VAL, Part.TEST));
        }
        return new Splits(Source.STRATIFIED, seed, fractions, manifest.dataHash(), parts);
    }

    /**
     * Takes the splits from a train/val/test folder layout; a missing val or test part is carved from train,
     * stratified, in the shares the fractions give them relative to train.
     */
    public static Splits fromLayout(Manifest manifest, Fractions fractions, long seed) {
        if (!manifest.hasPresetSplits()) {
            throw new InvalidInputException(manifest.root() + " has no train/val/test folders: use stratified splits");
        }
        checkClasses(manifest);
        Map<Part, List<String>> parts = emptyParts();
        for (Manifest.Entry e : manifest.okEntries()) {
            parts.get(Part.valueOf(e.split().toUpperCase(Locale.ROOT))).add(e.path());
        }
        List<Part> carved = new ArrayList<>(List.of(Part.TRAIN));
        for (Part p : List.of(Part.VAL, Part.TEST)) {
            if (parts.get(p).isEmpty() && fractions.of(p) > 0) {
                carved.add(p);
            }
        }
        if (carved.size() > 1) {
            double total = carved.stream().mapToDouble(fractions::of).sum();
            Fractions relative = new Fractions(fractions.train() / total,
                    carved.contains(Part.VAL) ? fractions.val() / total : 0,
                    carved.contains(Part.TEST) ? fractions.test() / total : 0);
            parts.get(Part.TRAIN).clear();
            Random random = new Random(seed);
            for (Map.Entry<String, List<String>> cls : pathsByClass(manifest, "train").entrySet()) {
                split(cls.getKey(), cls.getValue(), relative, random, parts, carved);
            }
        }
        Map<String, Integer> trainCounts = countPart(manifest, parts.get(Part.TRAIN));
        trainCounts.forEach((label, count) -> {
            if (count == 0) {
                throw new InvalidInputException("class '" + label + "' has no training images in "
                        + manifest.root().resolve("train") + ": add images to train/" + label);
            }
        });
        return new Splits(Source.LAYOUT, seed, fractions, manifest.dataHash(), parts);
    }

    /** From the layout when the manifest has one, else stratified. */
    public static Splits of(Manifest manifest, Fractions fractions, long seed) {
        return manifest.hasPresetSplits() ? fromLayout(manifest, fractions, seed)
                : stratified(manifest, fractions, seed);
    }

    /** What {@link #loadOrCreate} did. */
    public record Resolved(Splits splits, boolean reused, Path file) {
    }

    /**
     * Reuses {@code runDir/splits.json} when it was made from the same data with the same settings; otherwise
     * makes splits with {@link #of} and saves them there.
     *
     * @throws InvalidInputException when saved splits exist but the data or the settings changed (the test set
     *                               could leak into training); the message says what changed and what to do
     */
    public static Resolved loadOrCreate(Path runDir, Manifest manifest, Fractions fractions, long seed)
            throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Splits saved = load(file);
            if (!saved.dataHash.equals(manifest.dataHash())) {
                throw new InvalidInputException("the data in " + manifest.root() + " changed since " + file
                        + " was made (" + describeChange(saved, manifest) + "): reusing the run would mix test"
                        + " images into training; start a new run folder with --out, or delete " + file);
            }
            if (saved.seed != seed || !close(saved.fractions, fractions)) {
                throw new InvalidInputException(file + " was made with seed " + saved.seed + " and fractions "
                        + saved.fractions + ", not seed " + seed + " and " + fractions
                        + ": rerun with those settings, or use a new run folder with --out");
            }
            return new Resolved(saved, true, file);
        }
        Splits made = of(manifest, fractions, seed);
        made.save(file, manifest);
        return new Resolved(made, false, file);
    }

    /** How splits were made. */
    public Source source() {
        return source;
    }

    /** The seed the splits were made with. */
    public long seed() {
        return seed;
    }

    /** The shares the splits were made with. */
    public Fractions fractions() {
        return fractions;
    }

    /** {@link Manifest#dataHash()} of the data the splits were made from. */
    public String dataHash() {
        return dataHash;
    }

    /** Manifest paths in one part, sorted. */
    public List<String> paths(Part part) {
        return paths.get(part);
    }

    /** The manifest's entries in one part, sorted by path. */
    public List<Manifest.Entry> entries(Manifest manifest, Part part) {
        Set<String> wanted = new HashSet<>(paths.get(part));
        return manifest.okEntries().stream().filter(e -> wanted.contains(e.path())).toList();
    }

    /** Images per class and part: class -> (train, val, test). */
    public Map<String, Map<Part, Integer>> countsPerClass(Manifest manifest) {
        Map<String, Map<Part, Integer>> counts = new LinkedHashMap<>();
        for (String cls : manifest.classes()) {
            Map<Part, Integer> row = new EnumMap<>(Part.class);
            for (Part p : Part.values()) {
                row.put(p, 0);
            }
            counts.put(cls, row);
        }
        Map<String, String> labels = new HashMap<>();
        manifest.okEntries().forEach(e -> labels.put(e.path(), e.label()));
        for (Part p : Part.values()) {
            for (String path : paths.get(p)) {
                String label = labels.get(path);
                if (label != null) {
                    counts.get(label).merge(p, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Saves atomically as JSON, with per-class counts for people reading the file. */
    public void save(Path file, Manifest manifest) throws IOException {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        countsPerClass(manifest).forEach((cls, row) -> {
            Map<String, Integer> named = new LinkedHashMap<>();
            row.forEach((p, n) -> named.put(p.key(), n));
            counts.put(cls, named);
        });
        int images = paths.values().stream().mapToInt(List::size).sum();
        Stored stored = new Stored(FORMAT_VERSION, source.name().toLowerCase(Locale.ROOT), seed,
                new double[] {fractions.train(), fractions.val(), fractions.test()}, dataHash, images, counts,
                paths.get(Part.TRAIN), paths.get(Part.VAL), paths.get(Part.TEST));
        AtomicFiles.write(file, out -> JSON.writeValue(out, stored));
    }

    /** Loads splits saved by {@link #save}. */
    public static Splits load(Path file) throws IOException {
        try {
            Stored s = JSON.readValue(file.toFile(), Stored.class);
            if (s.formatVersion() != FORMAT_VERSION) {
                throw new InvalidInputException(file + " has format version " + s.formatVersion() + ", expected "
                        + FORMAT_VERSION + ": delete it or use a new run folder");
            }
            Map<Part, List<String>> parts = new EnumMap<>(Part.class);
            parts.put(Part.TRAIN, s.train());
            parts.put(Part.VAL, s.val());
            parts.put(Part.TEST, s.test());
            return new Splits(Source.valueOf(s.source().toUpperCase(Locale.ROOT)), s.seed(),
                    new Fractions(s.fractions()[0], s.fractions()[1], s.fractions()[2]), s.dataHash(), parts);
        } catch (com.fasterxml.jackson.core.JacksonException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file + " is not a tl4j splits file (" + e.getMessage().lines()
                    .findFirst().orElse("") + "): delete it or use a new run folder", e);
        }
    }

    private static void split(String label, List<String> paths, Fractions fractions, Random random,
                              Map<Part, List<String>> parts, List<Part> targets) {
        List<Part> nonEmpty = targets.stream().filter(p -> fractions.of(p) > 0).toList();
        int n = paths.size();
        Map<Part, Integer> sizes = allocate(n, fractions, nonEmpty);
        if (sizes == null) {
            int needed = n + 1;
            while (allocate(needed, fractions, nonEmpty) == null && needed < 100_000) {
                needed++;
            }
            throw new InvalidInputException("class '" + label + "' has " + n + " usable image" + (n == 1 ? "" : "s")
                    + ", too few to split " + fractions + " (every part needs an image and keeps its share within"
                    + " one image: at least " + needed + " needed): add images to the class, remove its folder,"
                    + " or change --fractions");
        }
        List<String> shuffled = new ArrayList<>(paths);
        Collections.sort(shuffled);
        Collections.shuffle(shuffled, random);
        int from = 0;
        for (Part p : nonEmpty) {
            int size = sizes.get(p);
            parts.get(p).addAll(shuffled.subList(from, from + size));
            from += size;
        }
    }

    /**
     * Images per part for a class of n: val and test get their rounded share but at least one, train the rest.
     * Null when that leaves train empty or puts any part more than one image off its share (the class is too small).
     */
    private static Map<Part, Integer> allocate(int n, Fractions fractions, List<Part> parts) {
        Map<Part, Integer> sizes = new EnumMap<>(Part.class);
        int rest = n;
        for (Part p : parts) {
            if (p != Part.TRAIN) {
                int size = Math.max(1, (int) Math.round(n * fractions.of(p)));
                sizes.put(p, size);
                rest -= size;
            }
        }
        sizes.put(Part.TRAIN, rest);
        double total = parts.stream().mapToDouble(fractions::of).sum();
        for (Part p : parts) {
            if (sizes.get(p) < 1 || Math.abs(sizes.get(p) - n * fractions.of(p) / total) > 1.0 + 1e-9) {
                return null;
            }
        }
        return sizes;
    }

    private static void checkClasses(Manifest manifest) {
        Map<String, Integer> counts = manifest.countsPerClass();
        if (counts.size() < 2) {
            throw new InvalidInputException("only one class (" + counts.keySet() + ") in " + manifest.root()
                    + ": a classifier needs at least two class folders");
        }
        counts.forEach((label, count) -> {
            if (count == 0) {
                throw new InvalidInputException("class '" + label + "' has no usable images in " + manifest.root()
                        + ": add images, or remove the empty folder");
            }
        });
    }

    /** Usable paths per class in class order, optionally only those in one preset split. */
    private static Map<String, List<String>> pathsByClass(Manifest manifest, String presetSplit) {
        Map<String, List<String>> byClass = new TreeMap<>();
        manifest.classes().forEach(c -> byClass.put(c, new ArrayList<>()));
        for (Manifest.Entry e : manifest.okEntries()) {
            if (presetSplit == null || presetSplit.equals(e.split())) {
                byClass.get(e.label()).add(e.path());
            }
        }
        return byClass;
    }

    private static Map<String, Integer> countPart(Manifest manifest, List<String> part) {
        Set<String> in = new HashSet<>(part);
        Map<String, Integer> counts = new LinkedHashMap<>();
        manifest.classes().forEach(c -> counts.put(c, 0));
        manifest.okEntries().stream().filter(e -> in.contains(e.path()))
                .forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        return counts;
    }

    private static Map<Part, List<String>> emptyParts() {
        Map<Part, List<String>> parts = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            parts.put(p, new ArrayList<>());
        }
        return parts;
    }

    private static String describeChange(Splits saved, Manifest manifest) {
        Set<String> before = new HashSet<>();
        saved.paths.values().forEach(before::addAll);
        Set<String> now = new HashSet<>();
        manifest.okEntries().forEach(e -> now.add(e.path()));
        long added = now.stream().filter(p -> !before.contains(p)).count();
        long removed = before.stream().filter(p -> !now.contains(p)).count();
        if (added == 0 && removed == 0) {
            return "same file names, but contents or labels differ";
        }
        return added + " images added, " + removed + " removed or now unusable";
    }

    private static boolean close(Fractions a, Fractions b) {
        return Math.abs(a.train() - b.train()) < 1e-9 && Math.abs(a.val() - b.val()) < 1e-9
                && Math.abs(a.test() - b.test()) < 1e-9;
    }
}
