package org.tl4j.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.infer.EngineChoice;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.InputSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;

/**
 * Measures what the selector needs on a target's training images and asks it for advice: the codes of every
 * candidate tap of the pretrained network and of the same architecture with random weights (seeded), their
 * linear probes, LogME and H-scores, a probe on (block-averaged) raw pixels, LEEP when the adapter has its trained
 * source head, and the network's forward throughput.
 */
public final class Advisor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Advisor.class);

    /**
     * @param taps            tap names to consider, early to late; empty for all of the adapter's taps
     * @param folds           linear-probe folds
     * @param seed            seed of the random-weight network, the subsample and the probe's folds
     * @param batch           images per forward batch
     * @param measurePerClass at most this many images per class are measured (a seeded subsample); the size facts
     *                        always count every training image
     * @param thresholds      the selector's thresholds
     * @param engine          engine of the frozen passes (codes at every tap, the source head): nd4j, onnxruntime,
     *                        or auto ({@link TapForward})
     */
    public record Options(List<String> taps, int folds, long seed, int batch, int measurePerClass,
                          SelectorThresholds thresholds, EngineChoice engine) {

        /** Options with the frozen passes on ND4J. */
        public Options(List<String> taps, int folds, long seed, int batch, int measurePerClass,
                       SelectorThresholds thresholds) {
            this(taps, folds, seed, batch, measurePerClass, thresholds, EngineChoice.ND4J);
        }

        public Options {
            Objects.requireNonNull(engine, "engine");
            taps = List.copyOf(taps);
            if (folds < 2 || batch < 1 || measurePerClass < 2) {
                throw new InvalidInputException("--folds must be >= 2, --batch >= 1 and --measure-per-class >= 2; got "
                        + folds + ", " + batch + ", " + measurePerClass);
            }
            Objects.requireNonNull(thresholds, "thresholds");
        }
    }

    /**
     * Everything measured, and the advice.
     *
     * @param batchNorm whether the network has BatchNorm layers ({@link SelectorEvidence#batchNorm()})
     * @param engines the engine of each network's frozen passes ({@code pretrained}, {@code random}), with the
     *                requested engine, the parity error and the reason ({@link TapForward#record()})
     */
    public record Report(String adapter, boolean trainedWeights, boolean batchNorm, long seed, int measuredImages,
                         SizeFacts size, List<TapScores> pretrained, List<TapScores> randomInit, Double rawPixelProbe, Double leep,
                         double imagesPerSecond, Advice advice, List<String> notes,
                         Map<String, Map<String, Object>> engines) {

        /** A report without engine records (measured on ND4J). */
        public Report(String adapter, boolean trainedWeights, boolean batchNorm, long seed, int measuredImages,
                      SizeFacts size, List<TapScores> pretrained, List<TapScores> randomInit, Double rawPixelProbe,
                      Double leep, double imagesPerSecond, Advice advice, List<String> notes) {
            this(adapter, trainedWeights, batchNorm, seed, measuredImages, size, pretrained, randomInit, rawPixelProbe, leep,
                    imagesPerSecond, advice, notes, Map.of());
        }

        /** The evidence the selector decided on, rebuilt from the measurements (for its other candidates). */
        public SelectorEvidence evidence(AdapterSpec spec) {
            return new SelectorEvidence(size, pretrained, randomInit,
                    rawPixelProbe == null ? OptionalDouble.empty() : OptionalDouble.of(rawPixelProbe),
                    leep == null ? OptionalDouble.empty() : OptionalDouble.of(leep),
                    spec.groups().stream().map(LayerGroup::name).toList(), OptionalDouble.of(imagesPerSecond),
                    trainedWeights, batchNorm);
        }

        /** The same measurements with another advice (the trials' winner) and notes. */
        public Report withAdvice(Advice other, List<String> moreNotes) {
            List<String> all = new ArrayList<>(notes);
            all.addAll(moreNotes);
            return new Report(adapter, trainedWeights, batchNorm, seed, measuredImages, size, pretrained, randomInit,
                    rawPixelProbe, leep, imagesPerSecond, other, all, engines);
        }
    }

    private final Options options;

    public Advisor(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param spec     the adapter
     * @param trained  its graph with trained weights, or null when the adapter has none (then a random-weight
     *                 network stands in for it, and the advice is expected to say its features do not help)
     * @param manifest the target folder
     * @param training the target's training images (never its test images)
     */
    public Report advise(AdapterSpec spec, ComputationGraph trained, Manifest manifest, List<Manifest.Entry> training) {
        List<String> notes = new ArrayList<>();
        int classes = manifest.classes().size();
        if (classes < 2 || training.isEmpty()) {
            throw new InvalidInputException(manifest.root() + ": advice needs training images in two or more classes,"
                    + " found " + training.size() + " images in " + classes + " classes");
        }
        Map<String, String> taps = taps(spec);
        int[] counts = new int[classes];
        for (Manifest.Entry e : training) {
            counts[manifest.classes().indexOf(e.label())]++;
        }
        SizeFacts size = SizeFacts.ofCounts(counts);
        List<Manifest.Entry> measured = subsample(manifest, training, options.measurePerClass(), options.seed());
        if (measured.size() < training.size()) {
            notes.add("metrics measured on a seeded subsample of " + measured.size() + " of the " + training.size()
                    + " training images (at most " + options.measurePerClass() + " per class)");
        }
        ComputationGraph pretrained = trained;
        long randomSeed = options.seed();
        if (trained == null) {
            pretrained = Architectures.build(spec, options.seed());
            randomSeed = options.seed() + 1;
            notes.add("adapter " + spec.id() + " has no trained weights: its codes come from random weights (seed "
                    + options.seed() + "), compared with another random network (seed " + randomSeed + ")");
        }
        ComputationGraph random = Architectures.build(spec, randomSeed);
        InputSpec input = spec.input();
        int rawFactor = TapCodesExtractor.rawPixelFactor(input.channels(), input.height(), input.width());
        if (rawFactor > 1) {
            notes.add("raw-pixel probe on the input averaged over " + rawFactor + "x" + rawFactor + " blocks (at most "
                    + TapCodesExtractor.MAX_RAW_VALUES + " values per image)");
        }
        String head = trained != null && trained.getConfiguration().getNetworkOutputs().contains(spec.head().layer())
                ? spec.head().layer() : null;

        long[] chw = {input.channels(), input.height(), input.width()};
        List<String> ourLayers = new ArrayList<>(taps.values());
        if (head != null) {
            ourLayers.add(head);
        }
        INDArray firstBatch = null;
        if (options.engine() == EngineChoice.AUTO) {
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, measured, input, options.batch())) {
                firstBatch = images.next().getFeatures();
            }
        }
        Map<String, Map<String, Object>> engines = new LinkedHashMap<>();
        // Seconds per phase, logged at the end: the probe was reported slow above 1,000 images (issue 5).
        Map<String, Double> times = new LinkedHashMap<>();
        long extractStart = System.nanoTime();
        TapCodesExtractor.Extracted ours;
        try (TapForward forward = TapForward.open(options.engine(), spec.id(), pretrained, chw, ourLayers, firstBatch);
             ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, measured, input, options.batch())) {
            engines.put("pretrained", forward.record());
            ours = TapCodesExtractor.extract(forward, List.copyOf(taps.keySet()), head != null, images, classes, true,
                    (trained == null ? "random-weight stand-in" : "pretrained " + spec.id()) + " (" + forward.engine()
                            + ")");
        }
        times.put("pretrained codes", (System.nanoTime() - extractStart) / 1e9);
        extractStart = System.nanoTime();
        TapCodesExtractor.Extracted theirs;
        try (TapForward forward = TapForward.open(options.engine(), spec.id() + "-random-" + randomSeed, random, chw,
                List.copyOf(taps.values()), firstBatch);
             ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, measured, input, options.batch())) {
            engines.put("random", forward.record());
            theirs = TapCodesExtractor.extract(forward, List.copyOf(taps.keySet()), false, images, classes, false,
                    "random weights (" + forward.engine() + ")");
        }
        times.put("random-weight codes", (System.nanoTime() - extractStart) / 1e9);
        engines.forEach((network, record) -> notes.add("frozen passes of the " + network + " network on "
                + record.get("engine") + " (" + record.get("reason") + ")"));
        LinearProbe probe = new LinearProbe(options.folds(), LinearProbe.DEFAULT_C, options.seed());
        List<TapScores> pretrainedScores = new ArrayList<>();
        List<TapScores> randomScores = new ArrayList<>();
        for (String tap : taps.keySet()) {
            pretrainedScores.add(measure(tap, ours.taps().get(tap), probe, times));
            randomScores.add(measure(tap, theirs.taps().get(tap), probe, times));
        }
        long rawStart = System.nanoTime();
        Double rawProbe = probe.accuracy(ours.rawPixels());
        times.merge("raw-pixel probe", (System.nanoTime() - rawStart) / 1e9, Double::sum);
        LOG.info("where the time went: {}", times.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT,
                "%s %.1f s", e.getKey(), e.getValue())).collect(java.util.stream.Collectors.joining(", ")));
        Double leep = head == null ? null : Leep.score(ours.headOutputs(), ours.taps().values().iterator().next()
                .labels(), classes);
        List<String> groups = spec.groups().stream().map(LayerGroup::name).toList();
        SelectorEvidence evidence = new SelectorEvidence(size, pretrainedScores, randomScores,
                rawProbe == null ? OptionalDouble.empty() : OptionalDouble.of(rawProbe),
                leep == null ? OptionalDouble.empty() : OptionalDouble.of(leep), groups,
                OptionalDouble.of(ours.imagesPerSecond()), trained != null, hasBatchNorm(random));
        Advice advice = new StrategySelector(options.thresholds()).advise(evidence);
        return new Report(spec.id(), trained != null, evidence.batchNorm(), options.seed(), measured.size(), size,
                pretrainedScores, randomScores, rawProbe, leep, ours.imagesPerSecond(), advice, notes, engines);
    }

    /** Whether the network has a BatchNorm layer (a fact the selector weighs for small targets). */
    static boolean hasBatchNorm(ComputationGraph graph) {
        return graph.getConfiguration().getVertices().values().stream().anyMatch(v -> v instanceof LayerVertex layer
                && layer.getLayerConf().getLayer() instanceof BatchNormalization);
    }

    /** {@link TapScores#measure}, each metric timed into {@code times}. */
    private static TapScores measure(String tap, LabelledCodes codes, LinearProbe probe, Map<String, Double> times) {
        long t0 = System.nanoTime();
        double accuracy = probe.accuracy(codes);
        long t1 = System.nanoTime();
        double logMe = LogMe.score(codes);
        long t2 = System.nanoTime();
        double hScore = HScore.score(codes);
        long t3 = System.nanoTime();
        times.merge("tap probes", (t1 - t0) / 1e9, Double::sum);
        times.merge("LogME", (t2 - t1) / 1e9, Double::sum);
        times.merge("H-score", (t3 - t2) / 1e9, Double::sum);
        return new TapScores(tap, codes.dimensions(), accuracy, logMe, hScore);
    }

    /** Tap name -> layer for the asked taps, in the adapter's early-to-late order. */
    private Map<String, String> taps(AdapterSpec spec) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : options.taps()) {
            if (spec.tap(name).isEmpty()) {
                throw new InvalidInputException("--taps: adapter " + spec.id() + " has no tap '" + name + "'; its taps"
                        + " are " + spec.taps().stream().map(Tap::name).toList());
            }
        }
        for (Tap tap : spec.taps()) {
            if (options.taps().isEmpty() || options.taps().contains(tap.name())) {
                result.put(tap.name(), tap.layer());
            }
        }
        return result;
    }

    /** At most {@code perClass} images of each class, drawn by the seed, in the folder's order. */
    static List<Manifest.Entry> subsample(Manifest manifest, List<Manifest.Entry> entries, int perClass, long seed) {
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            byClass.computeIfAbsent(entries.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            if (rows.size() > perClass) {
                Collections.shuffle(rows, random);
                kept.addAll(rows.subList(0, perClass));
            } else {
                kept.addAll(rows);
            }
        }
        Collections.sort(kept);
        return kept.stream().map(entries::get).toList();
    }
}
