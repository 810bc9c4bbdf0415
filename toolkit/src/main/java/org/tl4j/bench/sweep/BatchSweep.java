package org.tl4j.bench.sweep;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.bench.transfer.BenchStrategy;
import org.tl4j.bench.transfer.StrategyPlans;
import org.tl4j.bench.transfer.TargetSize;
import org.tl4j.bench.transfer.TransferBench;
import org.tl4j.bench.transfer.TransferTarget;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.FileTrees;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.runtime.NativeBuild;
import org.tl4j.select.AutoStrategy;
import org.tl4j.select.SelectorThresholds;
import org.tl4j.train.FitOptions;
import org.tl4j.train.RunRecord;
import org.tl4j.train.Strategy;
import org.tl4j.train.TrainingDivergedException;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.arch.LayerHelpers;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The batch-size sweep (issue 8): one fit run per batch size on the same data, strategy, rate and seed, each
 * evaluated on validation a few times per epoch and stopped at the first evaluation whose accuracy reaches the
 * target ({@link FitOptions#stopAtAccuracy()}). From each run.json: training images/s and the training time,
 * updates and epochs to the target ({@link BatchRun}). A batch is done when its {@code batch.json} exists (written
 * after run.json); a rerun reuses finished batches and starts an unfinished one again from the beginning (a resumed
 * run's clock would restart mid-run, so its time to the target would be wrong). The results are rewritten after
 * every batch ({@link SweepReport}).
 */
public final class BatchSweep {

    /** The marker of a finished batch in its run folder. */
    public static final String BATCH_FILE = "batch.json";
    /** The strategies the sweep can run: those that train a network with {@link TransferTraining}. */
    public static final List<BenchStrategy> STRATEGIES = List.of(BenchStrategy.FINE_TUNE_ALL,
            BenchStrategy.FINE_TUNE_TOP, BenchStrategy.SCRATCH);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param model          adapter id
     * @param strategy       one of {@link #STRATEGIES}
     * @param target         the prepared target, or null when {@code data} is given
     * @param data           an image folder to use as it is instead of a target, or null
     * @param size           training images per class of the target
     * @param maxPerClass    cap on training images per class
     * @param batches        batch sizes, in run order
     * @param targetAccuracy the validation accuracy to reach, in (0, 1]
     * @param maxEpochs      epochs at most per run
     * @param evalsPerEpoch  validation evaluations per epoch (at most one per update)
     * @param earlyStopping  whether fit's growing-patience early stopping may end a run before the target (off by
     *                       default: a noisy plateau would otherwise end small batches before they get there)
     * @param seed           seed of the data, splits, initialisation and shuffles
     * @param lrScaling      how each batch's rate follows from the strategy's
     * @param work           run folders, prepared data, caches
     * @param out            results.json, results.md, batch-sweep.png
     * @param weights        where pretrained weights are cached
     * @param progress       whether each run shows its own progress
     */
    public record Settings(String model, BenchStrategy strategy, TransferTarget target, Path data, TargetSize size,
                           int maxPerClass, List<Integer> batches, double targetAccuracy, int maxEpochs,
                           int evalsPerEpoch, boolean earlyStopping, long seed, LrScaling lrScaling, Path work, Path out,
                           WeightSettings weights, boolean progress) {

        public Settings {
            if (!STRATEGIES.contains(strategy)) {
                throw new InvalidInputException("--strategy " + strategy + ": the sweep trains a network; use any of "
                        + STRATEGIES.stream().map(BenchStrategy::cliName).toList());
            }
            if ((target == null) == (data == null)) {
                throw new IllegalArgumentException("give exactly one of a target and a data folder");
            }
            if (batches.isEmpty()) {
                throw new InvalidInputException("--batches is empty; use e.g. 8,16,32,64,128,256,512");
            }
            for (int b : batches) {
                if (b < 1) {
                    throw new InvalidInputException("--batches: batch size " + b + " is not a positive number of"
                            + " images; use e.g. 8,16,32,64,128,256,512");
                }
            }
            if (batches.stream().distinct().count() != batches.size()) {
                throw new InvalidInputException("--batches lists a batch size twice: " + batches);
            }
            if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
                throw new InvalidInputException("--target-accuracy must be a validation accuracy in (0, 1], e.g. 0.95;"
                        + " got " + targetAccuracy);
            }
            if (maxEpochs < 1) {
                throw new InvalidInputException("--max-epochs must be at least 1, got " + maxEpochs);
            }
            if (evalsPerEpoch < 1) {
                throw new InvalidInputException("--evals-per-epoch must be at least 1, got " + evalsPerEpoch);
            }
            if (maxPerClass < 2) {
                throw new InvalidInputException("--max-per-class must be at least 2, got " + maxPerClass);
            }
            batches = List.copyOf(batches);
        }

        /** The data's name in folders and results: target-size-seedS, or the given folder's name. */
        String dataLabel() {
            return data != null ? "folder-" + data.getFileName()
                    : target.id() + "-" + size.label() + "-seed" + seed;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("strategy", strategy.cliName());
            m.put("data", data != null ? data.toAbsolutePath().toString() : target.id());
            m.put("size", data != null ? "as given" : size.label());
            m.put("maxPerClass", maxPerClass);
            m.put("batches", batches);
            m.put("targetAccuracy", targetAccuracy);
            m.put("maxEpochs", maxEpochs);
            m.put("evalsPerEpoch", evalsPerEpoch);
            m.put("earlyStopping", earlyStopping);
            m.put("seed", seed);
            m.put("lrScaling", lrScaling.cliName());
            m.put("work", work.toAbsolutePath().toString());
            return m;
        }
    }

    private final Settings settings;

    public BatchSweep(Settings settings) {
        this.settings = settings;
    }

    /** Runs every unfinished batch size, printing a line before and after each, and writes the results. */
    public SweepReport.Results run(PrintWriter log) throws IOException {
        AdapterSpec spec = adapter(settings.model());
        String load = SweepReport.loadAverage();
        Nd4j.getBackend(); // loads libnd4j, so the native build can be named from the start
        String nativeBuild = NativeBuild.detect();
        long t0 = System.nanoTime();
        Path data = settings.data() != null ? settings.data().toAbsolutePath().normalize() : prepare(log);
        int trainImages = trainImages(data);
        Path base = settings.work().resolve("runs").resolve(settings.dataLabel()).resolve(String.format(Locale.ROOT,
                "%s-%s-lr-%s-acc%s-max%d-evals%d", spec.id(), settings.strategy().cliName(),
                settings.lrScaling().cliName(), settings.targetAccuracy(), settings.maxEpochs(),
                settings.evalsPerEpoch()));
        log.printf(Locale.ROOT, "batch sweep: %s %s on %s (%d training images), batches %s, target validation"
                        + " accuracy %s, at most %d epochs, rate %s (%s scaling); native build %s; load %s%n",
                spec.id(), settings.strategy().cliName(), data, trainImages, settings.batches(),
                settings.targetAccuracy(), settings.maxEpochs(), baseRate(spec, data), settings.lrScaling(),
                nativeBuild, load);
        log.flush();
        List<BatchRun> done = new ArrayList<>();
        int n = settings.batches().size();
        for (int k = 0; k < n; k++) {
            int batch = settings.batches().get(k);
            Path folder = base.resolve("batch-" + batch);
            Path marker = folder.resolve(BATCH_FILE);
            String head = String.format(Locale.ROOT, "[batch %d/%d] batch %d", k + 1, n, batch);
            BatchRun result;
            if (Files.exists(marker)) {
                result = JSON.readValue(marker.toFile(), BatchRun.class);
                log.printf(Locale.ROOT, "%s: done earlier (skipped): %s%n", head, summary(result));
            } else {
                FitOptions options = options(spec, data, batch, trainImages);
                log.printf(Locale.ROOT, "%s: running (rate %s, %d updates per epoch, validation every %d updates)"
                                + " into %s%n", head, options.learningRate(), updatesPerEpoch(trainImages, batch),
                        options.evalEvery(), folder);
                log.flush();
                FileTrees.delete(folder); // an unfinished run starts over: its timing must come from one attempt
                String loadBefore = SweepReport.loadAverage();
                try {
                    RunRecord run = new TransferTraining(options, settings.weights(),
                            settings.work().resolve("cache/features")).progress(settings.progress())
                            .fit(folder, false).run();
                    result = BatchRun.of(run, settings.targetAccuracy(), options.evalEvery(), loadBefore,
                            SweepReport.loadAverage(), folder.toString());
                } catch (TrainingDivergedException e) {
                    // A rate too large for this batch (e.g. --lr-scaling linear at 512) is a result, not a crash.
                    log.printf(Locale.ROOT, "%s: diverged: %s%n", head, e.getMessage());
                    result = BatchRun.diverged(batch, options.learningRate(), trainImages, options.evalEvery(),
                            loadBefore, SweepReport.loadAverage(), folder.toString());
                }
                BatchRun finished = result;
                AtomicFiles.write(marker, o -> JSON.writeValue(o, finished));
                log.printf(Locale.ROOT, "%s: %s%n", head, summary(result));
            }
            log.flush();
            done.add(result);
            SweepReport.write(settings.out(), results(done, load, nativeBuild, t0));
        }
        SweepReport.Results results = results(done, load, nativeBuild, t0);
        SweepReport.write(settings.out(), results);
        log.printf(Locale.ROOT, "batch sweep: %d batch sizes in %.0f s; results: %s, %s, %s%n", done.size(),
                results.wallSeconds(), settings.out().resolve(SweepReport.JSON_FILE),
                settings.out().resolve(SweepReport.MARKDOWN_FILE), settings.out().resolve(SweepReport.PLOT_FILE));
        log.flush();
        return results;
    }

    private SweepReport.Results results(List<BatchRun> done, String loadAtStart, String nativeBuild, long t0) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        machine.put("loadAtStart", loadAtStart);
        machine.put("loadNow", SweepReport.loadAverage());
        machine.put("nativeBuild", nativeBuild);
        machine.put("layerHelpers", LayerHelpers.allowed() && NativeBuild.hasOneDnn() ? "oneDNN" : "off");
        return new SweepReport.Results(SweepReport.FORMAT_VERSION, done.size() == settings.batches().size(),
                (System.nanoTime() - t0) / 1e9, settings.describe(), machine, List.copyOf(done));
    }

    /** The fit settings of one batch size: the strategy's plan, the scaled rate, the evaluation cadence, the stop. */
    FitOptions options(AdapterSpec spec, Path data, int batch, int trainImages) {
        FitOptions base = FitOptions.builder(data, spec.id(), Strategy.FINE_TUNE).seed(settings.seed())
                .maxEpochs(settings.maxEpochs()).batch(batch)
                .evalEvery(Math.max(1, updatesPerEpoch(trainImages, batch) / settings.evalsPerEpoch()))
                .earlyStopping(settings.earlyStopping()).stopAtAccuracy(settings.targetAccuracy()).build();
        FitOptions planned = new AutoStrategy.Decision(null, StrategyPlans.fitArguments(settings.strategy(), spec,
                SelectorThresholds.DEFAULT)).fitOptions(base);
        if (planned.learningRate() == null) {
            throw new IllegalStateException("the " + settings.strategy() + " plan gives no learning rate");
        }
        return planned.toBuilder().learningRate(planned.learningRate() * settings.lrScaling().factor(batch)).build();
    }

    private String baseRate(AdapterSpec spec, Path data) {
        return String.valueOf(new AutoStrategy.Decision(null, StrategyPlans.fitArguments(settings.strategy(), spec,
                SelectorThresholds.DEFAULT)).fitOptions(FitOptions.builder(data, spec.id(), Strategy.FINE_TUNE)
                .build()).learningRate());
    }

    static int updatesPerEpoch(int trainImages, int batch) {
        return (trainImages + batch - 1) / batch;
    }

    private static String summary(BatchRun r) {
        if (r.isDiverged()) {
            return "diverged at rate " + r.learningRate() + " (fit's divergence guard gave up): no measurement";
        }
        return String.format(Locale.ROOT, "%s; %.0f images/s of training; %s; best validation %.4f, test %.4f;"
                        + " stopped by %s after %d updates", r.reached()
                        ? String.format(Locale.ROOT, "target reached after %.2f epochs (%d updates), %.1f s of training"
                        + " (%.1f s with validation)", r.epochsToTarget(), r.updatesToTarget(), r.secondsToTarget(),
                        r.wallSecondsToTarget()) : "target not reached within " + r.epochs() + " epochs",
                r.imagesPerSecond(), "rate " + r.learningRate(), r.bestValAccuracy(), r.testAccuracy(), r.stopReason(),
                r.updates());
    }

    /** Training images of the split fit makes from the folder with this seed (the same for every batch size). */
    private int trainImages(Path data) throws IOException {
        Manifest manifest = ImageFolder.scan(data);
        int train = Splits.of(manifest, Splits.Fractions.DEFAULT, settings.seed())
                .entries(manifest, Splits.Part.TRAIN).size();
        if (train == 0) {
            throw new InvalidInputException(data + " gives fit no training images; use a folder with images in one"
                    + " sub-folder per class");
        }
        return train;
    }

    private Path prepare(PrintWriter log) {
        Path folder = settings.work().resolve("data").resolve(settings.dataLabel());
        try {
            if (!Files.isDirectory(folder.resolve("train"))) {
                int perClass = settings.size().trainPerClass(settings.maxPerClass());
                log.printf(Locale.ROOT, "preparing %s: ./tl4j %s --per-class %d --seed %d --out %s%n",
                        settings.target().id(), settings.target().command(), perClass, settings.seed(), folder);
                log.flush();
                Files.createDirectories(folder.getParent());
                settings.target().prepare(folder, perClass, settings.seed(), settings.progress()
                        ? message -> {
                            log.println("  " + message);
                            log.flush();
                        } : org.tl4j.datasets.Progress.SILENT);
            }
            log.printf(Locale.ROOT, "data %s: at least %d training images per class%n", folder,
                    TransferBench.smallestClass(folder.resolve("train")));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + folder + ": " + e.getMessage(), e);
        }
    }

    private static AdapterSpec adapter(String id) throws IOException {
        try {
            return AdapterRegistry.standard().get(id.strip());
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException("--model: " + e.getMessage() + " (./tl4j zoo list shows the ids)", e);
        }
    }
}
