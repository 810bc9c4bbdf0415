package org.tl4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.bench.MachineLoad;
import org.tl4j.data.FileTrees;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.infer.EngineSelection;
import org.tl4j.infer.Engines;
import org.tl4j.infer.InferenceModel;
import org.tl4j.train.CachedFeatureIterator;
import org.tl4j.train.FeatureCache;
import org.tl4j.train.FeatureCacheKey;
import org.tl4j.train.FeatureFile;
import org.tl4j.train.FeatureHead;
import org.tl4j.train.FeatureTrunk;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.load.PretrainedModel;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tl4j bench featurize}: training a new head on a frozen trunk from the featurize cache (one trunk pass,
 * then E cheap head epochs) against DL4J's plain frozen-layer training (the trunk runs again every epoch).
 */
@Command(name = "featurize",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Train a new softmax head on a frozen trunk for E epochs on every usable image of a folder (only"
                + " those in train/ when it has a train/val/test layout),"
                + " twice from the same initial weights and batch order: (1) from the featurize cache (one"
                + " trunk pass, then E head passes over cached features), (2) DL4J's frozen-layer training"
                + " (setFeatureExtractor on the full graph; the trunk runs every epoch). Prints wall times, the"
                + " speed-up, images/s, both training losses and the machine's load.",
                "Example data: ./tl4j datasets prepare fashion-mnist --out DIR --per-class 50"})
final class BenchFeaturizeCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Adapter id (untrained small adapters are built"
            + " from --seed; others load their pretrained weights).")
    String model = "resnet50-small";

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest.")
    Path data;

    @Option(names = "--epochs", paramLabel = "E", description = "Head training epochs.")
    int epochs = 5;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = 32;

    @Option(names = "--cut", paramLabel = "TAP|LAYER",
            description = "Where the trunk ends: a tap of the adapter or a layer name (default: its default tap).")
    String cut;

    @Option(names = "--pool", description = "Average convolutional activations over height and width.")
    boolean pool;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate of the head.")
    double learningRate = 1e-3;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the head's weights, the shuffles and an"
            + " untrained adapter's weights.")
    long seed = Splits.DEFAULT_SEED;

    @Option(names = "--trunk-mode", paramLabel = "MODE", description = "LAYER_OUTPUT, SUB_GRAPH, or AUTO (time both"
            + " on a few batches and use the faster).")
    String trunkMode = "AUTO";

    @Option(names = "--engine", paramLabel = "ENGINE", description = "Engine of the featurize pass: nd4j,"
            + " onnxruntime, or auto (ONNX Runtime when it agrees with nd4j on the first batch).")
    EngineChoice engine = EngineChoice.ND4J;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Feature cache folder (default: a new"
            + " temporary folder, deleted afterwards, so the trunk pass is timed).")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0 || batch <= 0 || !(learningRate > 0)) {
            throw new InvalidInputException("--epochs, --batch and --lr must be positive, got " + epochs + ", "
                    + batch + ", " + learningRate);
        }
        PrintWriter out = spec.commandLine().getOut();
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(model);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(!common.quiet()));
        // A train/val/test layout (as datasets prepare writes) trains on train/ only; else on every usable image.
        List<Manifest.Entry> entries = manifest.hasPresetSplits()
                ? manifest.okEntries().stream().filter(e -> "train".equals(e.split())).toList()
                : manifest.okEntries();
        if (entries.isEmpty() || manifest.classes().size() < 2) {
            throw new InvalidInputException(data + " has " + entries.size() + " usable images in "
                    + manifest.classes().size() + " classes: the benchmark needs two or more classes of images");
        }
        ComputationGraph graph;
        String weightsHash;
        if (adapter.hasWeights()) {
            PretrainedModel loaded = new AdapterLoader(weights.settings()).load(adapter);
            graph = loaded.graph();
            weightsHash = loaded.weights().sha256();
        } else {
            graph = Architectures.build(adapter, seed);
            weightsHash = FeatureCacheKey.weightsHash(graph);
        }
        String cutLayer = FeatureTrunk.resolveCut(adapter, cut);
        int n = entries.size();
        out.printf(Locale.ROOT, "model %s (%s weights), cut %s%s, %d images in %d classes, batch %d, %d epochs,"
                        + " Adam lr %s, seed %d%n", adapter.id(), adapter.hasWeights() ? "pretrained" : "untrained",
                cutLayer, pool ? " (pooled)" : "", n, manifest.classes().size(), batch, epochs, learningRate, seed);

        FeatureTrunk.Mode mode = chooseMode(out, graph, cutLayer, manifest, entries, adapter);
        FeatureTrunk trunk = new FeatureTrunk(graph, cutLayer, pool, mode);
        EngineSelection selection = null;
        if (engine != EngineChoice.ND4J) {
            INDArray first;
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest,
                    entries.subList(0, Math.min(batch, entries.size())), adapter.input(), batch)) {
                first = images.next().getFeatures();
            }
            long[] chw = {adapter.input().channels(), adapter.input().height(), adapter.input().width()};
            selection = Engines.open(engine, InferenceModel.ofGraph(adapter.id(), graph, chw, cutLayer, false), first);
            trunk = trunk.withEngine(selection.engine());
            out.printf(Locale.ROOT, "engine:   %s (%s)%n", selection.engine().name(), selection.reason());
        }
        long[] rawShape = trunk.rawRowShape(adapter.input());
        FeatureCacheKey key = new FeatureCacheKey(adapter.id(), weightsHash, cutLayer, pool, adapter.input(),
                FeatureCacheKey.dataHash(manifest, entries));
        boolean temporary = cacheDir == null;
        Path folder = temporary ? Files.createTempDirectory("tl4j-featurize-bench") : cacheDir;
        try {
            // (1) featurize once, then E head epochs from the cache.
            MachineLoad cachedStart = MachineLoad.sample();
            FeatureCache.Result featurized;
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries, adapter.input(), batch)) {
                featurized = new FeatureCache(folder).getOrCompute(key, images, n, trunk);
            }
            MachineLoad afterFeaturize = MachineLoad.sample();
            double[] cachedLosses;
            FeatureHead head;
            MachineLoad cachedEnd;
            try (FeatureFile features = featurized.features()) {
                head = new FeatureHead(features.featureLength(), features.classes(), learningRate, seed);
                // The baseline starts from this head's initial weights: build it before training changes them.
                ComputationGraph frozen = head.onFrozenGraph(graph, trunk, rawShape);
                cachedLosses = head.fit(new CachedFeatureIterator(features, batch, seed, true, manifest.classes()),
                        epochs, e -> progress("cached head", e));
                cachedEnd = MachineLoad.sample();
                double featurizeSeconds = afterFeaturize.wallSecondsSince(cachedStart);
                double headSeconds = cachedEnd.wallSecondsSince(afterFeaturize);
                out.printf(Locale.ROOT, "cache:    featurize %.1f s (%s, %d floats per image, %.0f images/s, %s), head"
                                + " %d epochs %.2f s (%.3f s/epoch): total %.1f s, %.0f images/s; load: other"
                                + " processes %.2f cores, load1 %.2f%n", featurizeSeconds,
                        (featurized.computed() ? "computed in " : "reused from ") + folder
                                + (temporary ? " (temporary)" : ""), features.featureLength(),
                        n / featurizeSeconds, mode, epochs, headSeconds, headSeconds / epochs,
                        featurizeSeconds + headSeconds, (double) n * epochs / (featurizeSeconds + headSeconds),
                        cachedEnd.othersCoresSince(cachedStart), cachedEnd.load1());

                // (2) DL4J's plain frozen-layer training: the trunk runs in every epoch.
                MachineLoad frozenStart = MachineLoad.sample();
                double[] frozenLosses;
                try (ImageFolderIterator images = ImageFolderIterator.of(manifest, entries, adapter.input(), batch,
                        seed)) {
                    frozenLosses = FeatureHead.fit(frozen, images, epochs, e -> progress("frozen graph", e));
                }
                MachineLoad frozenEnd = MachineLoad.sample();
                double frozenSeconds = frozenEnd.wallSecondsSince(frozenStart);
                double cachedSeconds = cachedEnd.wallSecondsSince(cachedStart);
                out.printf(Locale.ROOT, "frozen:   %d epochs %.1f s (%.1f s/epoch), %.0f images/s; load: other"
                                + " processes %.2f cores, load1 %.2f%n", epochs, frozenSeconds, frozenSeconds / epochs,
                        (double) n * epochs / frozenSeconds, frozenEnd.othersCoresSince(frozenStart),
                        frozenEnd.load1());
                out.printf(Locale.ROOT, "speed-up: %.1fx (frozen %.1f s / cache %.1f s); cache = %.2f trunk passes"
                                + " + %d head passes of %.1f%% of a frozen epoch each%n", frozenSeconds / cachedSeconds,
                        frozenSeconds, cachedSeconds, featurizeSeconds / (frozenSeconds / epochs), epochs,
                        100 * (headSeconds / epochs) / (frozenSeconds / epochs));
                out.printf(Locale.ROOT, "loss:     cache %s%n          frozen %s%n", losses(cachedLosses),
                        losses(frozenLosses));
                double last = cachedLosses[epochs - 1];
                double other = frozenLosses[epochs - 1];
                double gap = Math.abs(last - other) / Math.max(Math.abs(other), 1e-6);
                boolean similar = gap <= 0.05 || Math.abs(last - other) <= 0.01;
                out.printf(Locale.ROOT, "check:    final training loss %.4f vs %.4f (%.1f%% apart): %s%n", last, other,
                        100 * gap, similar ? "similar" : "NOT similar");
            }
        } finally {
            if (selection != null) {
                selection.engine().close();
            }
            if (temporary) {
                FileTrees.delete(folder);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Times both ways of reading the cut on a few batches (after one warm-up batch each) and picks the faster. */
    private FeatureTrunk.Mode chooseMode(PrintWriter out, ComputationGraph graph, String cutLayer, Manifest manifest,
                                         List<Manifest.Entry> entries, AdapterSpec adapter) {
        if (!trunkMode.equalsIgnoreCase("AUTO")) {
            FeatureTrunk.Mode chosen;
            try {
                chosen = FeatureTrunk.Mode.valueOf(trunkMode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--trunk-mode must be AUTO, LAYER_OUTPUT or SUB_GRAPH, got '"
                        + trunkMode + "'");
            }
            return chosen;
        }
        List<Manifest.Entry> sample = entries.subList(0, Math.min(entries.size(), 4 * batch));
        double[] rates = new double[FeatureTrunk.Mode.values().length];
        for (FeatureTrunk.Mode m : FeatureTrunk.Mode.values()) {
            FeatureTrunk probe = new FeatureTrunk(graph, cutLayer, pool, m);
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, sample, adapter.input(), batch)) {
                List<DataSet> batches = new java.util.ArrayList<>();
                images.forEachRemaining(batches::add);
                probe.activations(batches.get(0).getFeatures());
                long start = System.nanoTime();
                long count = 0;
                for (DataSet ds : batches) {
                    probe.activations(ds.getFeatures());
                    count += ds.numExamples();
                }
                rates[m.ordinal()] = count / ((System.nanoTime() - start) / 1e9);
            }
        }
        FeatureTrunk.Mode best = Arrays.stream(FeatureTrunk.Mode.values())
                .max(Comparator.comparingDouble(m -> rates[m.ordinal()])).orElseThrow();
        out.printf(Locale.ROOT, "trunk:    LAYER_OUTPUT %.0f images/s, SUB_GRAPH %.0f images/s on %d images: using %s%n",
                rates[FeatureTrunk.Mode.LAYER_OUTPUT.ordinal()], rates[FeatureTrunk.Mode.SUB_GRAPH.ordinal()],
                sample.size(), best);
        return best;
    }

    private void progress(String what, int epoch) {
        if (!common.quiet()) {
            System.err.printf(Locale.ROOT, "%s: epoch %d/%d done%n", what, epoch + 1, epochs);
        }
    }

    private static String losses(double[] losses) {
        StringBuilder s = new StringBuilder();
        for (double l : losses) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", l));
        }
        return s.toString();
    }
}
