package org.tl4j.bench.transfer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.tl4j.bench.MachineLoad;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.infer.EngineChoice;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The transfer benchmark of issue 6: every source x target x size x seed x strategy cell, each one training run
 * in this JVM ({@link CellRunner}) into its own run folder under the work folder. Scratch runs once per target,
 * size, seed and architecture, and counts for every source of that architecture. Target folders are prepared once
 * per target, size and seed under WORK/data. A cell is done when its {@code cell.json} exists (written last, after
 * the run's metrics.json and run.json): a killed benchmark run again skips the finished cells and carries an
 * unfinished training run on from its checkpoint. results.json, results.md and the plot are rewritten after every
 * cell ({@link GridReport}).
 */
public final class TransferBench {

    /** The marker of a finished cell in its run folder. */
    public static final String CELL_FILE = "cell.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param sources     source adapter ids (each must have weights)
     * @param targets     targets
     * @param sizes       training images per class (or all)
     * @param seeds       seeds
     * @param strategies  strategies, in the order they are run and listed
     * @param work        run folders, prepared data and caches
     * @param out         results.json, results.md, the plot
     * @param maxPerClass cap on training images per class ({@code all} means this many at most)
     * @param maxEpochs   epochs at most per training run
     * @param batch       images per mini-batch
     * @param weights     where pretrained weights are cached
     * @param engine      the engine of frozen featurizing
     * @param progress    whether each training run shows its own progress
     */
    public record Settings(List<String> sources, List<TransferTarget> targets, List<TargetSize> sizes,
                           List<Long> seeds, List<BenchStrategy> strategies, Path work, Path out, int maxPerClass,
                           int maxEpochs, int batch, WeightSettings weights, EngineChoice engine, boolean progress) {

        public Settings {
            if (sources.isEmpty() || targets.isEmpty() || sizes.isEmpty() || seeds.isEmpty()
                    || strategies.isEmpty()) {
                throw new InvalidInputException("--sources, --targets, --sizes, --seeds and --strategies each need"
                        + " at least one value");
            }
            if (maxPerClass < 2) {
                throw new InvalidInputException("--max-per-class must be at least 2, got " + maxPerClass);
            }
            if (maxEpochs < 1) {
                throw new InvalidInputException("--max-epochs must be at least 1, got " + maxEpochs);
            }
        }

        Map<String, Object> describe() {
            Map<String, Object> grid = new LinkedHashMap<>();
            grid.put("sources", sources);
            grid.put("targets", targets.stream().map(TransferTarget::id).toList());
            grid.put("sizes", sizes.stream().map(TargetSize::label).toList());
            grid.put("seeds", seeds);
            grid.put("strategies", strategies.stream().map(BenchStrategy::cliName).toList());
            grid.put("maxPerClass", maxPerClass);
            grid.put("maxEpochs", maxEpochs);
            grid.put("batch", batch);
            grid.put("engine", engine.toString().toLowerCase(Locale.ROOT));
            grid.put("work", work.toAbsolutePath().toString());
            return grid;
        }
    }

    /**
     * @param cells   every finished cell
     * @param summary their aggregation
     * @param seconds wall time of this invocation
     * @param ran     cells trained by this invocation (the rest were finished before)
     */
    public record Result(List<CellResult> cells, GridSummary summary, double seconds, int ran) {
    }

    /** One planned cell; {@code seedFolder} holds the run folders of its target, size and seed. */
    record PlannedCell(AdapterSpec source, String architecture, TransferTarget target, TargetSize size, long seed,
                       BenchStrategy strategy, Path seedFolder) {

        Path runFolder() {
            return folderOf(strategy);
        }

        /** The run folder of this source, target, size and seed's cell of {@code other} (scratch: per architecture). */
        Path folderOf(BenchStrategy other) {
            return other == BenchStrategy.SCRATCH ? seedFolder.resolve("scratch-" + architecture)
                    : seedFolder.resolve(source.id()).resolve(other.cliName());
        }

        String label() {
            return String.format(Locale.ROOT, "%s %s/class seed %d %s %s", target.id(), size.label(), seed,
                    strategy == BenchStrategy.SCRATCH ? architecture : source.id(), strategy.cliName());
        }
    }

    private final Settings settings;

    public TransferBench(Settings settings) {
        this.settings = settings;
    }

    /** The cells in run order (size, target, seed, source, strategy), scratch once per architecture. */
    List<PlannedCell> plan() throws IOException {
        List<AdapterSpec> sources = new ArrayList<>();
        for (String id : settings.sources()) {
            AdapterSpec spec;
            try {
                spec = AdapterRegistry.standard().get(id.strip());
            } catch (UnknownAdapterException e) {
                throw new InvalidInputException("--sources: " + e.getMessage() + " (./tl4j zoo list shows the ids)",
                        e);
            }
            if (!spec.hasWeights()) {
                throw new InvalidInputException("--sources: adapter '" + id + "' has no pretrained weights, so there"
                        + " is nothing to transfer; use a source with weights (./tl4j zoo list, WEIGHTS column)");
            }
            if (settings.strategies().contains(BenchStrategy.SVM_EARLIER)) {
                StrategyPlans.earlierTap(spec);
            }
            sources.add(spec);
        }
        List<PlannedCell> cells = new ArrayList<>();
        for (TargetSize size : settings.sizes()) {
            for (TransferTarget target : settings.targets()) {
                for (long seed : settings.seeds()) {
                    Path base = settings.work().resolve("runs").resolve(target.id() + "-" + size.label())
                            .resolve("seed" + seed);
                    List<String> scratchDone = new ArrayList<>();
                    for (AdapterSpec source : sources) {
                        String arch = architectureKey(source);
                        for (BenchStrategy strategy : settings.strategies()) {
                            if (strategy == BenchStrategy.SCRATCH) {
                                if (scratchDone.contains(arch)) {
                                    continue;
                                }
                                scratchDone.add(arch);
                            }
                            cells.add(new PlannedCell(source, arch, target, size, seed, strategy, base));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /**
     * Runs every unfinished cell, printing one line before and after each (cell k of N, elapsed, ETA), and writes the
     * results after each.
     */
    public Result run(PrintWriter log) throws IOException {
        return run(log, false);
    }

    /**
     * As {@link #run(PrintWriter)}; with {@code reportOnly} no cell runs: the results cover the cells finished so far
     * (by this or an earlier invocation, even one still running beside it) and say how many of the grid's are missing.
     */
    public Result run(PrintWriter log, boolean reportOnly) throws IOException {
        List<PlannedCell> plan = plan();
        MachineLoad start = MachineLoad.sample();
        long t0 = System.nanoTime();
        CellRunner runner = new CellRunner(new CellRunner.Settings(settings.weights(), settings.engine(),
                settings.work().resolve("cache/features"), settings.work().resolve("cache/codes"),
                settings.maxEpochs(), settings.batch(), settings.progress()));
        List<String> order = settings.strategies().stream().map(BenchStrategy::cliName).toList();
        List<CellResult> done = new ArrayList<>();
        Map<Path, Integer> prepared = new LinkedHashMap<>();
        int ran = 0;
        CellTimes times = new CellTimes(settings.maxPerClass());
        log.printf(Locale.ROOT, "transfer bench: %d cells (%s); work %s, results %s%n", plan.size(),
                settings.describe(), settings.work(), settings.out());
        log.flush();
        for (int k = 0; k < plan.size(); k++) {
            PlannedCell cell = plan.get(k);
            Path marker = cell.runFolder().resolve(CELL_FILE);
            String head = String.format(Locale.ROOT, "[cell %d/%d] %s", k + 1, plan.size(), cell.label());
            CellResult result;
            if (Files.exists(marker)) {
                result = JSON.readValue(marker.toFile(), CellResult.class);
                log.printf(Locale.ROOT, "%s: done earlier, accuracy %.4f (skipped)%n", head, result.accuracy());
            } else if (reportOnly) {
                log.printf(Locale.ROOT, "%s: not run yet (--report-only)%n", head);
                continue;
            } else {
                Path data = settings.work().resolve("data").resolve(cell.target().id() + "-" + cell.size().label()
                        + "-seed" + cell.seed());
                int perClass = prepared.computeIfAbsent(data, d -> prepare(cell, d, log));
                log.printf(Locale.ROOT, "%s: running%n", head);
                log.flush();
                result = runner.run(cell.source(), cell.architecture(), cell.target(), cell.size(), perClass,
                        cell.seed(), cell.strategy(), data, cell.runFolder(),
                        fixed -> fixed.isAuto() ? null : cell.folderOf(fixed));
                CellResult finished = result;
                AtomicFiles.write(marker, o -> JSON.writeValue(o, finished));
                ran++;
                times.add(cell, result.wallSeconds());
                double elapsed = (System.nanoTime() - t0) / 1e9;
                int left = plan.size() - k - 1;
                log.printf(Locale.ROOT, "%s: accuracy %.4f, %s%s, %.1f s; elapsed %s, ETA %s for %d more cells%n",
                        head, result.accuracy(), result.stopReason(), result.epochs() == null ? ""
                                : " after " + result.epochs() + " epochs", result.wallSeconds(),
                        GridReport.duration(elapsed), GridReport.duration(times.estimate(plan.subList(k + 1, plan.size()))),
                        left);
            }
            log.flush();
            done.add(result);
            write(done, plan.size(), start, t0);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        GridSummary summary = GridSummary.of(done, order);
        log.printf(Locale.ROOT, "transfer bench: %d cells (%d run now, %d done earlier) in %s; mean regret %s;"
                        + " results: %s, %s, %s%n", done.size(), ran, done.size() - ran, GridReport.duration(seconds),
                summary.meanRegret() == null ? "–" : String.format(Locale.ROOT, "%.1f pp", 100 * summary.meanRegret()),
                settings.out().resolve(GridReport.JSON_FILE), settings.out().resolve(GridReport.MARKDOWN_FILE),
                settings.out().resolve(GridReport.PLOT_FILE));
        log.flush();
        return new Result(done, summary, seconds, ran);
    }

    /**
     * The ETA's model: a cell takes what cells of the same target, size and strategy took so far; one with none
     * measured yet takes the mean of its strategy's measured cells scaled by its nominal training images (sizes run
     * smallest first, so a plain mean over cells so far would promise far too little).
     */
    static final class CellTimes {
        private final int maxPerClass;
        private final Map<String, double[]> byKey = new LinkedHashMap<>();
        private final Map<String, double[]> perImage = new LinkedHashMap<>();
        private double total;
        private int count;

        CellTimes(int maxPerClass) {
            this.maxPerClass = maxPerClass;
        }

        void add(PlannedCell cell, double seconds) {
            byKey.computeIfAbsent(key(cell), k -> new double[2]);
            byKey.get(key(cell))[0] += seconds;
            byKey.get(key(cell))[1]++;
            double[] rate = perImage.computeIfAbsent(cell.strategy().cliName(), k -> new double[2]);
            rate[0] += seconds / cell.size().trainPerClass(maxPerClass);
            rate[1]++;
            total += seconds;
            count++;
        }

        double estimate(List<PlannedCell> remaining) {
            double seconds = 0;
            for (PlannedCell cell : remaining) {
                double[] same = byKey.get(key(cell));
                double[] rate = perImage.get(cell.strategy().cliName());
                if (same != null) {
                    seconds += same[0] / same[1];
                } else if (rate != null) {
                    seconds += rate[0] / rate[1] * cell.size().trainPerClass(maxPerClass);
                } else if (count > 0) {
                    seconds += total / count;
                }
            }
            return seconds;
        }

        private static String key(PlannedCell cell) {
            return cell.target().id() + "/" + cell.size().label() + "/" + cell.strategy().cliName();
        }
    }

    private void write(List<CellResult> done, int total, MachineLoad start, long t0) throws IOException {
        List<String> order = settings.strategies().stream().map(BenchStrategy::cliName).toList();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("load1AtStart", start.load1());
        machine.put("load1Now", MachineLoad.sample().load1());
        machine.put("OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        GridReport.write(settings.out(), new GridReport.Results(GridReport.FORMAT_VERSION, done.size() == total,
                done.size(), total, (System.nanoTime() - t0) / 1e9, settings.describe(), machine, List.copyOf(done),
                GridSummary.of(done, order)), order);
    }

    /** Prepares (or reuses) a target folder; returns its smallest number of training images per class. */
    private int prepare(PlannedCell cell, Path folder, PrintWriter log) {
        try {
            if (!Files.isDirectory(folder.resolve("train"))) {
                int perClass = cell.size().trainPerClass(settings.maxPerClass());
                log.printf(Locale.ROOT, "preparing %s: ./tl4j %s --per-class %d --seed %d --out %s%n",
                        cell.target().id(), cell.target().command(), perClass, cell.seed(), folder);
                log.flush();
                Files.createDirectories(folder.getParent());
                cell.target().prepare(folder, perClass, cell.seed(), settings.progress()
                        ? message -> {
                            log.println("  " + message);
                            log.flush();
                        } : org.tl4j.datasets.Progress.SILENT);
            }
            return smallestClass(folder.resolve("train"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The fewest images of any class folder under {@code train} (0 when it has none). */
    public static int smallestClass(Path train) throws IOException {
        int smallest = Integer.MAX_VALUE;
        try (Stream<Path> classes = Files.list(train)) {
            for (Path cls : classes.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(cls)) {
                    smallest = (int) Math.min(smallest, files.filter(Files::isRegularFile).count());
                }
            }
        }
        return smallest == Integer.MAX_VALUE ? 0 : smallest;
    }

    /**
     * The architecture a scratch run trains, as a folder-safe key: family, variant, width and input size (two
     * sources of one architecture share it, e.g. resnet-small.glyphs and resnet-small.fashion04).
     */
    static String architectureKey(AdapterSpec spec) {
        String key = String.format(Locale.ROOT, "%s-%s-x%s-%dx%d", spec.architecture().name(),
                spec.architecture().variant(), trim(spec.architecture().width()), spec.input().height(),
                spec.input().width());
        return key.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
