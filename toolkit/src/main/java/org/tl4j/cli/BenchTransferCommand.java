package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tl4j.bench.transfer.BenchStrategy;
import org.tl4j.bench.transfer.TargetSize;
import org.tl4j.bench.transfer.TransferBench;
import org.tl4j.bench.transfer.TransferTarget;
import org.tl4j.data.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j bench transfer}: the transfer benchmark grid of issue 6 (all logic in org.tl4j.bench.transfer). */
@Command(name = "transfer",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Transfer benchmark: for every source x target x size x seed x strategy, one ./tl4j fit run"
                + " (in this JVM) into WORK/runs/..., then results.json, results.md (mean +- sd accuracy per"
                + " strategy, wall time, best strategy, auto's choice and the selector's regret) and"
                + " transfer-accuracy.png in --out. Scratch runs once per architecture, not per source. Target"
                + " folders are prepared under WORK/data. Finished cells (RUN/cell.json) are skipped, so a killed"
                + " benchmark carries on where it stopped.",
                "Strategies: linear (feature-extractor on the top tap), svm-top, svm-earlier (the tap before the"
                        + " top), fine-tune-top, fine-tune-all (discriminative rates), scratch, auto; each fixed"
                        + " strategy uses the settings the selector's advice of that kind uses; auto-trial is auto with"
                        + " --advise-by-trial.",
                "Example: ./tl4j bench transfer --sources resnet-small.glyphs --sizes 10 --seeds 1 --work /tmp/tb"
                        + " --out /tmp/tb/results"})
final class BenchTransferCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Mixin
    private EngineOptions engine;

    @Spec
    private CommandSpec spec;

    @Option(names = "--sources", required = true, split = ",", paramLabel = "ID",
            description = "Source adapter ids with weights (./tl4j zoo list).")
    List<String> sources;

    @Option(names = "--targets", split = ",", paramLabel = "T", description = "digits, fashion5-9.")
    List<String> targets = new ArrayList<>(List.of("digits", "fashion5-9"));

    @Option(names = "--sizes", split = ",", paramLabel = "N|all", description = "Training images per class.")
    List<String> sizes = new ArrayList<>(List.of("10", "100", "all"));

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "Seeds (data sampling, splits, weights,"
            + " shuffles).")
    List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L));

    @Option(names = "--strategies", paramLabel = "S,...", description = "Strategies, in this order: linear, svm-top,"
            + " svm-earlier, fine-tune-top, fine-tune-all, scratch, auto, auto-trial (fit --strategy auto"
            + " --advise-by-trial, with its default trial settings).")
    String strategies = String.join(",", BenchStrategy.DEFAULTS.stream().map(BenchStrategy::cliName).toList());

    @Option(names = "--work", required = true, paramLabel = "DIR", description = "Run folders, prepared data and"
            + " caches (reused on a rerun).")
    Path work;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results.json, results.md"
            + " and transfer-accuracy.png go.")
    Path out;

    @Option(names = "--max-per-class", paramLabel = "N", description = "Cap on training images per class (also"
            + " what 'all' means when a class has more).")
    int maxPerClass = 1000;

    @Option(names = "--max-epochs", paramLabel = "N", description = "Epochs at most per training run (fit's"
            + " growing-patience early stopping usually ends it sooner).")
    int maxEpochs = 30;

    @Option(names = "--batch", paramLabel = "N", description = "Images per mini-batch.")
    int batch = 32;

    @Option(names = "--report-only", description = "Run nothing: write results.json, results.md and the plot for the"
            + " cells finished so far (they say how many of the grid's are missing), e.g. while a benchmark runs.")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        List<TransferTarget> parsedTargets = targets.stream().map(TransferTarget::parse).distinct().toList();
        List<TargetSize> parsedSizes = sizes.stream().map(TargetSize::parse).distinct().toList();
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        TransferBench.Settings settings = new TransferBench.Settings(
                sources.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList(), parsedTargets,
                parsedSizes, seeds.stream().distinct().toList(), BenchStrategy.parseList(strategies),
                work.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(), maxPerClass, maxEpochs, batch,
                weights.settings(), engine.choice(), !common.quiet());
        PrintWriter printer = spec.commandLine().getOut();
        new TransferBench(settings).run(printer, reportOnly);
        return ExitCodes.OK;
    }
}
