package org.tl4j.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.FileTrees;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Trains a classifier on an image folder by transfer from an adapter (or from scratch) and writes the run folder:
 * {@code model.zip} ({@link TrainedModel}), {@code run.json} ({@link RunRecord}), {@code metrics.json}
 * ({@link ClassificationMetrics} on the test split, evaluated once at the very end) and {@code splits.json}.
 *
 * <p>Fine-tune and scratch train the whole network (less what is frozen) on images; feature-extractor computes the
 * frozen trunk's output once into the featurize cache, trains the head from it, and saves the trunk with the
 * trained head on top. All strategies share {@link TrainingLoop}: validation every N updates, growing patience,
 * best weights kept, divergence guard, checkpoints in {@code RUN/checkpoints} and exact resume.
 */
public final class TransferTraining {

    private static final Logger LOG = LoggerFactory.getLogger(TransferTraining.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The run folder's files. */
    public static final String MODEL_FILE = "model.zip";
    public static final String METRICS_FILE = "metrics.json";
    public static final String CHECKPOINT_FOLDER = "checkpoints";
    /** The settings a run started with, compared on resume. */
    static final String SETTINGS_FILE = "settings.json";
    /** Updates per learning-rate probe, and the mini-batches each probe trains on. */
    static final int PROBE_UPDATES = 8;
    /** Largest number of probes of the rate search. */
    static final int MAX_PROBES = 8;

    /**
     * What a finished run wrote.
     *
     * @param runFolder the run folder
     * @param model     the trained model (best weights)
     * @param run       the provenance written to run.json
     * @param test      the test metrics written to metrics.json
     */
    public record FitResult(Path runFolder, TrainedModel model, RunRecord run, ClassificationMetrics test) {
    }

    /** The settings a run started with and the rate it chose, stored so {@code --resume} can check and reuse them. */
    record StartRecord(FitOptions settings, double learningRate, BengioLrSearch.Result lrSearch, String startedAt) {
    }

    private final FitOptions options;
    private final WeightSettings weightSettings;
    private final Path featureCacheFolder;
    private boolean progress = true;
    private org.tl4j.infer.EngineChoice engine = org.tl4j.infer.EngineChoice.ND4J;
    private java.util.function.LongConsumer afterCheckpoint = iteration -> { };

    /**
     * @param options            the run's settings
     * @param weightSettings     where pretrained weights are cached
     * @param featureCacheFolder the featurize cache (feature-extractor); null for {@link FeatureCache#defaultFolder()}
     */
    public TransferTraining(FitOptions options, WeightSettings weightSettings, Path featureCacheFolder) {
        this.options = options;
        this.weightSettings = weightSettings;
        this.featureCacheFolder = featureCacheFolder == null ? FeatureCache.defaultFolder() : featureCacheFolder;
    }

    /** Called after each checkpoint with its update; tests interrupt a run there. */
    TransferTraining afterCheckpoint(java.util.function.LongConsumer hook) {
        this.afterCheckpoint = hook;
        return this;
    }

    /**
     * The engine of the feature extractor's featurize pass (default nd4j); the selection (engine, parity error,
     * reason) is recorded in run.json under {@code featureCache.engine}.
     */
    public TransferTraining engine(org.tl4j.infer.EngineChoice choice) {
        this.engine = java.util.Objects.requireNonNull(choice, "choice");
        return this;
    }

    /** Whether to log scanning progress. */
    public TransferTraining progress(boolean on) {
        this.progress = on;
        return this;
    }

    /**
     * What a run would do, without training or writing anything: the settings, the splits, the head and the
     * learning-rate plan table (for {@code --dry-run}).
     */
    public String describe() throws IOException {
        TrainingSetup setup = TrainingSetup.prepare(options, weightSettings, null, false, progress);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "model      %s (%s), strategy %s, weights %s%n", setup.adapter().id(),
                setup.adapter().architecture().name(), options.strategy(),
                options.sourceWeights() != null ? options.sourceWeights() : setup.adapter().hasWeights()
                        ? "pretrained" : "untrained (seed " + options.seed() + ")"));
        text.append(String.format(Locale.ROOT, "data       %s: %d images, %d classes; split %d train / %d val / %d"
                        + " test (%s, seed %d)%n", options.data(), setup.manifest().okEntries().size(),
                setup.manifest().classes().size(), setup.train().size(), setup.val().size(), setup.test().size(),
                setup.splits().source().name().toLowerCase(Locale.ROOT), options.seed()));
        text.append(String.format(Locale.ROOT, "head       new %d-class softmax at tap %s (%s)%n",
                setup.manifest().classes().size(), setup.surgery().tap().name(), setup.surgery().tap().layer()));
        text.append(String.format(Locale.ROOT, "freeze     %s; BatchNorm %s%n", setup.freeze(),
                options.effectiveBatchNorm().name().toLowerCase(Locale.ROOT)));
        text.append(String.format(Locale.ROOT, "optimizer  %s, momentum %s, weight decay %s (not on biases or"
                        + " BatchNorm)%n", options.optimizer().method().name().toLowerCase(Locale.ROOT),
                options.optimizer().momentum(), options.optimizer().weightDecay()));
        text.append(String.format(Locale.ROOT, "rate       %s, schedule %s%n", options.learningRate() == null
                ? "auto (Bengio search; the table shows the default as placeholder)" : options.learningRate(),
                options.schedule()));
        text.append(String.format(Locale.ROOT, "training   batch %d, at most %d epochs, validation every %s,"
                        + " early stopping %s on validation %s, seed %d%n", options.batch(), options.maxEpochs(),
                options.evalEvery() == 0 ? "epoch" : options.evalEvery() + " updates",
                options.earlyStopping() ? "on" : "off", options.monitor().name().toLowerCase(Locale.ROOT),
                options.seed()));
        if (options.stopAtAccuracy() != null) {
            text.append(String.format(Locale.ROOT, "stop       at the first validation accuracy >= %s%n",
                    options.stopAtAccuracy()));
        }
        text.append(System.lineSeparator()).append(setup.plan());
        return text.toString();
    }

    /**
     * Trains and writes the run folder.
     *
     * @param out    the run folder (created)
     * @param resume carry on from the folder's newest checkpoint; without it a folder that already has checkpoints
     *               or a model is refused
     */
    public FitResult fit(Path out, boolean resume) throws IOException {
        long start = System.nanoTime();
        // A run folder this call creates (or the splits.json it adds) is removed again when the settings turn out
        // wrong before training starts: a rejected command writes nothing (issue 10).
        boolean fresh = Files.notExists(out);
        boolean hadSplits = Files.exists(out.resolve(Splits.FILE_NAME));
        Files.createDirectories(out);
        Path checkpoints = out.resolve(CHECKPOINT_FOLDER);
        Path settingsFile = checkpoints.resolve(SETTINGS_FILE);
        boolean hasCheckpoint = TrainingLoop.hasCheckpoint(checkpoints);
        if (!resume && (hasCheckpoint || Files.exists(out.resolve(MODEL_FILE)) || Files.exists(settingsFile))) {
            throw new InvalidInputException(out + " already holds a run: add --resume to carry it on, or choose a"
                    + " new --out folder");
        }
        if (resume && Files.exists(out.resolve(MODEL_FILE)) && !hasCheckpoint) {
            Path runFile = out.resolve(RunRecord.FILE_NAME);
            Path metricsFile = out.resolve(METRICS_FILE);
            if (Files.exists(runFile) && Files.exists(metricsFile)) {
                // Killed after its last file was written, while the checkpoints were being deleted: the run is
                // complete, so --resume finishes the clean-up and reports it instead of failing.
                FileTrees.delete(checkpoints);
                LOG.info("{} already holds a finished run: nothing left to train", out);
                return new FitResult(out, TrainedModel.load(out.resolve(MODEL_FILE)), readRun(runFile),
                        readMetrics(metricsFile));
            }
            throw new InvalidInputException(out + " holds a model (" + MODEL_FILE + ") but no run record or"
                    + " checkpoint: nothing to resume; choose a new --out folder");
        }
        StartRecord started = resume && Files.exists(settingsFile) ? readStart(settingsFile) : null;
        if (started != null && !started.settings().equals(options)) {
            throw new InvalidInputException(out + " was started with other settings (" + settingsFile + "): resume"
                    + " with the same arguments, or choose a new --out folder");
        }
        if (resume && started == null) {
            LOG.info("{} has no checkpoint: starting from the beginning", out);
        }
        // Every random choice of the run starts from its seed (a resumed run restores the generator's state).
        Nd4j.getRandom().setSeed(options.seed());
        TrainingSetup setup;
        try {
            setup = TrainingSetup.prepare(options, weightSettings, out, true, progress);
            checkMemory(setup);
        } catch (InvalidInputException e) {
            if (fresh) {
                FileTrees.delete(out);
            } else if (!hadSplits) {
                Files.deleteIfExists(out.resolve(Splits.FILE_NAME));
            }
            throw e;
        }
        Nd4j.getRandom().setSeed(options.seed());

        RunRecord.FeatureCacheUse cacheUse = null;
        ClassificationMetrics featureTest = null;
        TrainingLoop.Outcome outcome;
        double rate;
        BengioLrSearch.Result search;
        ComputationGraph finalGraph;
        if (options.strategy() == Strategy.FEATURE_EXTRACTOR) {
            FeatureRun features = FeatureRun.open(setup, featureCacheFolder, engine);
            try {
                cacheUse = features.use();
                if (started == null) {
                    search = options.learningRate() == null ? searchRate(features::configured,
                            features.probeBatches(PROBE_UPDATES)) : null;
                    rate = search == null ? options.learningRate() : search.learningRate();
                    started = writeStart(settingsFile, rate, search);
                }
                rate = started.learningRate();
                search = started.lrSearch();
                Nd4j.getRandom().setSeed(options.seed());
                double chosen = rate;
                TrainingLoop loop = new TrainingLoop(loopSettings(s -> features.configured(s),
                        Schedules.parse(options.schedule(), chosen), features.updatesPerEpoch()), checkpoints)
                        .afterCheckpoint(afterCheckpoint);
                try (TrainingData data = features.trainingData()) {
                    outcome = loop.run(data, features::validate);
                }
                finalGraph = features.assemble(outcome.graph());
                // The test split's codes came from the featurize engine with train and val: the trained head reads
                // them instead of DL4J running the whole graph on the images again (on ResNet-50 DL4J's trunk is
                // some 30x slower than ONNX Runtime, which made the test pass longer than the rest of the run).
                featureTest = features.test(outcome.graph());
                if (featureTest != null) {
                    TestPredictions.write(out, TestPredictions.of(setup.test(), setup.manifest().classes(),
                            features.testScores(outcome.graph())));
                }
            } finally {
                features.close();
            }
        } else {
            ImageRun images = new ImageRun(setup);
            if (started == null) {
                search = options.learningRate() == null ? searchRate(images::configured,
                        images.probeBatches(PROBE_UPDATES)) : null;
                rate = search == null ? options.learningRate() : search.learningRate();
                started = writeStart(settingsFile, rate, search);
            }
            rate = started.learningRate();
            search = started.lrSearch();
            Nd4j.getRandom().setSeed(options.seed());
            double chosen = rate;
            TrainingLoop loop = new TrainingLoop(loopSettings(images::configured,
                    Schedules.parse(options.schedule(), chosen), images.updatesPerEpoch()), checkpoints)
                    .afterCheckpoint(afterCheckpoint);
            try (TrainingData data = images.trainingData()) {
                outcome = loop.run(data, images::validate);
            }
            finalGraph = TrainedModel.inferenceGraph(outcome.graph());
        }

        TrainedModel model = new TrainedModel(finalGraph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION,
                setup.adapter().id(), options.strategy().cliName(), setup.surgery().tap().name(),
                TrainedModel.InputDescription.of(setup.adapter().input()), setup.manifest().classes(),
                HeadSurgery.CLASSIFIER));
        // The test split, once, at the very end.
        ClassificationMetrics test = featureTest != null ? featureTest : testOnImages(setup, finalGraph);
        LOG.info(String.format(Locale.ROOT, "test: accuracy %.4f, top-%d %.4f on %d images", test.accuracy(),
                test.topK(), test.topKAccuracy(), test.images()));
        model.save(out.resolve(MODEL_FILE));
        AtomicFiles.write(out.resolve(METRICS_FILE), o -> JSON.writeValue(o, test));
        LrPlan plan = new LrPlan(rate, setup.plan().groups(), setup.plan().layerMultipliers());
        RunRecord run = new RunRecord(RunRecord.FORMAT_VERSION, setup.adapter().id(), options.strategy().cliName(),
                setup.weights(), new RunRecord.DataProvenance(options.data().toAbsolutePath().toString(),
                setup.manifest().dataHash(), setup.manifest().okEntries().size(), setup.manifest().classes()),
                splitsProvenance(out, setup), options.seed(), options, setup.surgery().tap().name(),
                setup.freeze().toString(), options.effectiveBatchNorm().name().toLowerCase(Locale.ROOT), rate, search,
                plan, outcome.divergences(), cacheUse, outcome.history(), outcome.stopping(), outcome.resumedFrom(),
                new RunRecord.TestSummary(test.images(), test.accuracy(), test.topK(), test.topKAccuracy(),
                        test.meanLoss()), started.startedAt(), Instant.now().toString(),
                (System.nanoTime() - start) / 1e9);
        AtomicFiles.write(out.resolve(RunRecord.FILE_NAME), o -> JSON.writeValue(o, run));
        FileTrees.delete(checkpoints);
        return new FitResult(out, model, run, test);
    }

    /** The test split's metrics from the whole graph run on the test images. */
    private ClassificationMetrics testOnImages(TrainingSetup setup, ComputationGraph graph) {
        try (ImageFolderIterator iterator = ImageFolderIterator.inOrder(setup.manifest(), setup.test(),
                setup.adapter().input(), options.batch())) {
            return ClassificationMetrics.evaluate(graph, iterator, setup.manifest().classes(), "test");
        }
    }

    /**
     * Fails before any training when the batch cannot fit in the native memory ND4J may use: fine-tuning and
     * training from scratch hold the whole graph's activations per image; the feature extractor runs the graph in
     * inference to featurize.
     */
    private void checkMemory(TrainingSetup setup) throws InvalidInputException {
        org.tl4j.zoo.spec.InputSpec input = setup.adapter().input();
        org.deeplearning4j.nn.conf.inputs.InputType type = org.deeplearning4j.nn.conf.inputs.InputType
                .convolutional(input.height(), input.width(), input.channelOrder().channels());
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = setup.structured().getConfiguration();
        MemoryEstimate estimate = options.strategy() == Strategy.FEATURE_EXTRACTOR
                ? MemoryEstimate.inference(conf, type, options.batch())
                : MemoryEstimate.training(conf, type, options.batch(),
                        options.optimizer().method() == Optimizer.Method.ADAM ? 2 : 1);
        estimate.requireFits("--batch");
        LOG.debug("batch {}: about {} of native memory", options.batch(), MemoryEstimate.human(estimate.totalBytes()));
    }

    /** Reads a run.json. */
    public static RunRecord readRun(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunRecord.class);
    }

    /** Reads a metrics.json. */
    public static ClassificationMetrics readMetrics(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ClassificationMetrics.class);
    }

    /** The result of {@link #findLearningRate}: Bengio's probes or the range test's curve. */
    public record LrFinding(String method, BengioLrSearch.Result bengio, LrRangeTest.Result range,
                            double suggested) {
    }

    /**
     * Searches a learning rate on the training split's real mini-batches, without training or writing anything.
     *
     * @param method {@code bengio} (probes from a large rate, /3 on divergence) or {@code range} (exponential sweep)
     */
    public LrFinding findLearningRate(String method) throws IOException {
        Nd4j.getRandom().setSeed(options.seed());
        TrainingSetup setup = TrainingSetup.prepare(options, weightSettings, null, true, progress);
        boolean features = options.strategy() == Strategy.FEATURE_EXTRACTOR;
        FeatureRun featureRun = features ? FeatureRun.open(setup, featureCacheFolder, engine) : null;
        try {
            java.util.function.Function<ISchedule, ComputationGraph> configure = features ? featureRun::configured
                    : new ImageRun(setup)::configured;
            switch (method.toLowerCase(Locale.ROOT)) {
                case "bengio" -> {
                    List<DataSet> batches = features ? featureRun.probeBatches(PROBE_UPDATES)
                            : new ImageRun(setup).probeBatches(PROBE_UPDATES);
                    BengioLrSearch.Result result = searchRate(configure, batches);
                    return new LrFinding("bengio", result, null, result.learningRate());
                }
                case "range" -> {
                    int steps = 100;
                    List<DataSet> batches = features ? featureRun.probeBatches(steps)
                            : new ImageRun(setup).probeBatches(steps);
                    double min = 1e-6;
                    double max = options.optimizer().method() == Optimizer.Method.ADAM ? 1.0 : 10.0;
                    double ratio = Math.pow(max / min, 1.0 / (steps - 1));
                    ComputationGraph graph = configure.apply(
                            new ExponentialSchedule(ScheduleType.ITERATION, min, ratio));
                    int[] next = {0};
                    LrRangeTest.Result result = new LrRangeTest(min, max, steps, 0.98, 4.0).run(r -> {
                        graph.fit(batches.get(next[0]++ % batches.size()));
                        return graph.score();
                    });
                    return new LrFinding("range", null, result, result.suggested());
                }
                default -> throw new InvalidInputException("--method " + method + ": use bengio or range");
            }
        } finally {
            if (featureRun != null) {
                featureRun.close();
            }
        }
    }

    private TrainingLoop.Settings loopSettings(java.util.function.Function<ISchedule, ComputationGraph> configure,
                                               ISchedule schedule, int updatesPerEpoch) {
        int evalEvery = options.evalEvery() > 0 ? options.evalEvery() : updatesPerEpoch;
        long patience = options.patience() > 0 ? options.patience()
                : (long) TrainingLoop.DEFAULT_PATIENCE_EVALUATIONS * evalEvery;
        return new TrainingLoop.Settings(configure, schedule, evalEvery, options.maxEpochs(), options.monitor(),
                options.earlyStopping(), patience, options.stopAtAccuracy());
    }

    /**
     * Bengio's search: each probe trains a fresh copy of the starting network (the weights are never changed) for
     * {@link #PROBE_UPDATES} updates at a constant rate on the same real mini-batches, and compares the mean
     * training loss over those batches before and after.
     */
    private BengioLrSearch.Result searchRate(java.util.function.Function<ISchedule, ComputationGraph> configure,
                                             List<DataSet> batches) {
        double startRate = options.optimizer().method() == Optimizer.Method.ADAM ? 0.1 : 1.0;
        BengioLrSearch search = new BengioLrSearch(startRate, MAX_PROBES, 0.0);
        BengioLrSearch.Result result = search.search(rate -> {
            Nd4j.getRandom().setSeed(options.seed());
            ComputationGraph graph = configure.apply(new FixedSchedule(rate));
            double before = meanLoss(graph, batches);
            for (int i = 0; i < PROBE_UPDATES; i++) {
                graph.fit(batches.get(i % batches.size()));
            }
            double after = meanLoss(graph, batches);
            LOG.info(String.format(Locale.ROOT, "lr probe %.4g: loss %.4f -> %.4f", rate, before, after));
            return new double[] {before, after};
        });
        LOG.info(String.format(Locale.ROOT, "learning rate %.4g (largest stable %.4g, %d probes)",
                result.learningRate(), result.largestStable(), result.probes().size()));
        return result;
    }

    /** Mean loss over the batches, computed in training mode (batch statistics, as the updates see them). */
    private static double meanLoss(ComputationGraph graph, List<DataSet> batches) {
        double sum = 0;
        long n = 0;
        for (DataSet batch : batches) {
            double score = graph.score(batch, true);
            if (!Double.isFinite(score)) {
                return Double.NaN;
            }
            sum += score * batch.numExamples();
            n += batch.numExamples();
        }
        return sum / n;
    }

    private StartRecord writeStart(Path file, double rate, BengioLrSearch.Result search) throws IOException {
        StartRecord record = new StartRecord(options, rate, search, Instant.now().toString());
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, o -> JSON.writeValue(o, record));
        return record;
    }

    private static StartRecord readStart(Path file) throws IOException {
        return JSON.readValue(file.toFile(), StartRecord.class);
    }

    private static RunRecord.SplitsProvenance splitsProvenance(Path out, TrainingSetup setup) {
        Map<String, Map<String, Integer>> perClass = new LinkedHashMap<>();
        setup.splits().countsPerClass(setup.manifest()).forEach((cls, row) -> {
            Map<String, Integer> named = new LinkedHashMap<>();
            row.forEach((part, n) -> named.put(part.key(), n));
            perClass.put(cls, named);
        });
        return new RunRecord.SplitsProvenance(out.resolve(Splits.FILE_NAME).toAbsolutePath().toString(),
                setup.splits().source().name().toLowerCase(Locale.ROOT), setup.splits().seed(), setup.train().size(),
                setup.val().size(), setup.test().size(), perClass);
    }

    /** Fine-tune and scratch: the whole network trains on images. */
    private final class ImageRun {
        private final TrainingSetup setup;

        ImageRun(TrainingSetup setup) {
            this.setup = setup;
        }

        ComputationGraph configured(ISchedule schedule) {
            return PlanApplier.apply(setup.structured(), setup.plan(), schedule, options.optimizer());
        }

        int updatesPerEpoch() {
            return (setup.train().size() + options.batch() - 1) / options.batch();
        }

        TrainingData trainingData() {
            return TrainingData.images(ImageFolderIterator.of(setup.manifest(), setup.train(), setup.adapter().input(),
                    options.batch(), options.seed()));
        }

        ClassificationMetrics.Accumulator validate(ComputationGraph graph) {
            ClassificationMetrics.Accumulator accumulator = new ClassificationMetrics.Accumulator(
                    setup.manifest().classes());
            try (ImageFolderIterator val = ImageFolderIterator.inOrder(setup.manifest(), setup.val(),
                    setup.adapter().input(), options.batch())) {
                while (val.hasNext()) {
                    DataSet batch = val.next();
                    accumulator.add(graph.outputSingle(false, batch.getFeatures()), batch.getLabels());
                }
            }
            return accumulator;
        }

        /** The first mini-batches of the first epoch's order (cycled when the split has fewer). */
        List<DataSet> probeBatches(int count) {
            List<DataSet> batches = new ArrayList<>();
            try (ImageFolderIterator it = ImageFolderIterator.of(setup.manifest(), setup.train(),
                    setup.adapter().input(), options.batch(), options.seed())) {
                while (it.hasNext() && batches.size() < count) {
                    batches.add(it.next());
                }
            }
            return batches;
        }
    }

    /** Feature-extractor: the head trains on cached trunk outputs. */
    private static final class FeatureRun implements AutoCloseable {
        private final TrainingSetup setup;
        private final FeatureFile train;
        private final FeatureFile val;
        private final FeatureFile test;
        private final RunRecord.FeatureCacheUse use;
        private final ComputationGraph head;
        private final LrPlan headPlan;

        private FeatureRun(TrainingSetup setup, FeatureFile train, FeatureFile val, FeatureFile test,
                           RunRecord.FeatureCacheUse use) {
            this.setup = setup;
            this.train = train;
            this.val = val;
            this.test = test;
            this.use = use;
            this.head = headGraph(setup, train.featureLength());
            Map<String, Double> multipliers = new LinkedHashMap<>();
            List<String> layers = TrainingSetup.trainableLayers(head);
            layers.forEach(l -> multipliers.put(l, setup.plan().multiplier(l)));
            double multiplier = multipliers.values().stream().findFirst().orElse(1.0);
            this.headPlan = new LrPlan(setup.plan().baseRate(),
                    List.of(new LrPlan.GroupRate("head", multiplier, layers)), multipliers);
        }

        static FeatureRun open(TrainingSetup setup, Path cacheFolder, org.tl4j.infer.EngineChoice choice)
                throws IOException {
            HeadSurgery.Result surgery = setup.surgery();
            FeatureTrunk trunk = new FeatureTrunk(surgery.graph(), surgery.tap().layer(), true,
                    FeatureTrunk.Mode.LAYER_OUTPUT);
            org.tl4j.infer.EngineSelection selection = openEngine(setup, trunk, choice);
            try {
                // nd4j keeps the trunk's own DL4J path; another engine computes the activations the trunk pools.
                boolean nd4j = org.tl4j.infer.Nd4jEngine.NAME.equals(selection.engine().name());
                return open(setup, cacheFolder, nd4j ? trunk : trunk.withEngine(selection.engine()), selection);
            } finally {
                selection.engine().close();
            }
        }

        /** Opens the featurize engine; auto compares ONNX Runtime with ND4J on the first training batch. */
        private static org.tl4j.infer.EngineSelection openEngine(TrainingSetup setup, FeatureTrunk trunk,
                                                                 org.tl4j.infer.EngineChoice choice) {
            org.nd4j.linalg.api.ndarray.INDArray first = null;
            List<Manifest.Entry> train = setup.train();
            if (choice == org.tl4j.infer.EngineChoice.AUTO && !train.isEmpty()) {
                int n = Math.min(train.size(), setup.options().batch());
                try (ImageFolderIterator images = ImageFolderIterator.inOrder(setup.manifest(), train.subList(0, n),
                        setup.adapter().input(), n)) {
                    first = images.next().getFeatures();
                }
            }
            org.tl4j.zoo.spec.InputSpec input = setup.adapter().input();
            long[] chw = {input.channels(), input.height(), input.width()};
            org.tl4j.infer.EngineSelection selection = org.tl4j.infer.Engines.open(choice,
                    org.tl4j.infer.InferenceModel.ofGraph(setup.adapter().id(), setup.surgery().graph(), chw,
                            trunk.cut(), false), first);
            LOG.info("featurize engine: {} ({})", selection.engine().name(), selection.reason());
            return selection;
        }

        private static FeatureRun open(TrainingSetup setup, Path cacheFolder, FeatureTrunk trunk,
                                       org.tl4j.infer.EngineSelection selection) throws IOException {
            String weights = setup.weights().sha256() != null ? setup.weights().sha256()
                    : FeatureCacheKey.weightsHash(setup.surgery().graph());
            FeatureCache cache = new FeatureCache(cacheFolder);
            long start = System.nanoTime();
            FeatureCache.Result train = featurize(cache, setup, trunk, weights, setup.train());
            FeatureCache.Result val = null;
            FeatureCache.Result test;
            try {
                val = featurize(cache, setup, trunk, weights, setup.val());
                // An empty test split keeps the image path (its metrics say 0 images); a feature file needs rows.
                test = setup.test().isEmpty() ? null : featurize(cache, setup, trunk, weights, setup.test());
            } catch (IOException | RuntimeException e) {
                for (FeatureCache.Result opened : new FeatureCache.Result[] {train, val}) {
                    try {
                        if (opened != null) {
                            opened.features().close();
                        }
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            RunRecord.FeatureCacheUse use = new RunRecord.FeatureCacheUse(cacheFolder.toString(),
                    cache.fileFor(key(setup, trunk, weights, setup.train())).toString(),
                    cache.fileFor(key(setup, trunk, weights, setup.val())).toString(),
                    train.computed() || val.computed() || (test != null && test.computed()),
                    (System.nanoTime() - start) / 1e9, selection.record());
            LOG.info(String.format(Locale.ROOT, "featurize cache: %s in %.1f s (%s)", use.computed() ? "computed"
                    : "reused", use.seconds(), cacheFolder));
            return new FeatureRun(setup, train.features(), val.features(),
                    test == null ? null : test.features(), use);
        }

        private static FeatureCacheKey key(TrainingSetup setup, FeatureTrunk trunk, String weights,
                                           List<Manifest.Entry> entries) {
            return new FeatureCacheKey(setup.adapter().id(), weights, trunk.cut(), true, setup.adapter().input(),
                    FeatureCacheKey.dataHash(setup.manifest(), entries));
        }

        private static FeatureCache.Result featurize(FeatureCache cache, TrainingSetup setup, FeatureTrunk trunk,
                                                     String weights, List<Manifest.Entry> entries) throws IOException {
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(setup.manifest(), entries,
                    setup.adapter().input(), setup.options().batch())) {
                return cache.getOrCompute(key(setup, trunk, weights, entries), images, entries.size(), trunk);
            }
        }

        /**
         * The new head alone (the surgery's layers after the tap and its pooling), input one feature row, starting
         * from the surgery's initial weights.
         */
        private static ComputationGraph headGraph(TrainingSetup setup, int featureLength) {
            HeadSurgery.Result surgery = setup.surgery();
            List<String> layers = surgery.added().stream().filter(l -> !l.equals(HeadSurgery.POOLING)).toList();
            ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                    .seed(setup.options().seed()).graphBuilder().addInputs("features")
                    .setInputTypes(InputType.feedForward(featureLength));
            String previous = "features";
            for (String name : layers) {
                builder.addLayer(name, surgery.graph().getLayer(name).conf().getLayer().clone(), previous);
                previous = name;
            }
            ComputationGraph graph = new ComputationGraph(builder.setOutputs(previous).build());
            graph.init();
            for (String name : layers) {
                graph.getLayer(name).setParams(surgery.graph().getLayer(name).params().dup());
            }
            return graph;
        }

        RunRecord.FeatureCacheUse use() {
            return use;
        }

        ComputationGraph configured(ISchedule schedule) {
            return PlanApplier.apply(head, headPlan, schedule, setup.options().optimizer());
        }

        int updatesPerEpoch() {
            return (train.rows() + setup.options().batch() - 1) / setup.options().batch();
        }

        TrainingData trainingData() {
            return TrainingData.cached(new CachedFeatureIterator(train, setup.options().batch(),
                    setup.options().seed(), true, setup.manifest().classes()), setup.options().seed());
        }

        ClassificationMetrics.Accumulator validate(ComputationGraph graph) {
            ClassificationMetrics.Accumulator accumulator = new ClassificationMetrics.Accumulator(
                    setup.manifest().classes());
            CachedFeatureIterator it = new CachedFeatureIterator(val, setup.options().batch(), 0, false,
                    setup.manifest().classes());
            while (it.hasNext()) {
                DataSet batch = it.next();
                accumulator.add(graph.outputSingle(false, batch.getFeatures()), batch.getLabels());
            }
            return accumulator;
        }

        /**
         * The test split's metrics of a trained head, from the test codes featurized with train and val; null when
         * the test split is empty.
         */
        ClassificationMetrics test(ComputationGraph trainedHead) {
            return test == null ? null : ClassificationMetrics.evaluate(trainedHead, new CachedFeatureIterator(test,
                    setup.options().batch(), 0, false, setup.manifest().classes()), setup.manifest().classes(), "test");
        }

        /** The trained head's scores for every test image, rows in the test split's order. */
        float[][] testScores(ComputationGraph trainedHead) {
            float[][] scores = new float[test.rows()][];
            CachedFeatureIterator it = new CachedFeatureIterator(test, setup.options().batch(), 0, false,
                    setup.manifest().classes());
            int row = 0;
            while (it.hasNext()) {
                org.nd4j.linalg.api.ndarray.INDArray out = trainedHead.outputSingle(false, it.next().getFeatures());
                for (int i = 0; i < out.rows(); i++) {
                    scores[row++] = out.getRow(i).toFloatVector();
                }
            }
            return scores;
        }

        List<DataSet> probeBatches(int count) {
            List<DataSet> batches = new ArrayList<>();
            CachedFeatureIterator it = new CachedFeatureIterator(train, setup.options().batch(),
                    setup.options().seed(), true, setup.manifest().classes());
            while (it.hasNext() && batches.size() < count) {
                batches.add(it.next());
            }
            return batches;
        }

        /** The trunk with the trained head: the surgery's graph with the head's parameters copied in. */
        ComputationGraph assemble(ComputationGraph trainedHead) {
            ComputationGraph full = setup.surgery().graph();
            for (String name : TrainingSetup.trainableLayers(trainedHead)) {
                full.getLayer(name).setParams(trainedHead.getLayer(name).params().dup());
            }
            return full;
        }

        @Override
        public void close() throws IOException {
            try (FeatureFile t = train; FeatureFile v = val; FeatureFile s = test) {
                // try-with-resources closes all three, the first failure thrown
            }
        }
    }
}
