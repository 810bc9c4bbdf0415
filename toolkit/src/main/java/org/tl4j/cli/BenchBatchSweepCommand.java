package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tl4j.bench.sweep.BatchSweep;
import org.tl4j.bench.sweep.LrScaling;
import org.tl4j.bench.transfer.BenchStrategy;
import org.tl4j.bench.transfer.TargetSize;
import org.tl4j.bench.transfer.TransferTarget;
import org.tl4j.data.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j bench batch-sweep}: the batch-size U-curve of issue 8 (all logic in org.tl4j.bench.sweep). */
@Command(name = "batch-sweep",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Batch-size sweep: for each batch size, one ./tl4j fit run (in this JVM) on the same target,"
                + " strategy and seed, validated a few times per epoch and stopped at the first validation accuracy"
                + " >= --target-accuracy. Measures training images/s (validation excluded) and the training time,"
                + " updates and epochs to the target; writes results.json, results.md and batch-sweep.png to --out."
                + " Every batch size uses the strategy's fixed learning rate (the rate bench transfer's cell of the"
                + " same strategy uses) unless --lr-scaling says otherwise. Finished batch sizes (RUN/batch.json)"
                + " are reused, so a killed sweep carries on.",
                "Example: OMP_NUM_THREADS=1 ./tl4j bench batch-sweep --work /tmp/sweep-work --out /tmp/sweep-out"})
final class BenchBatchSweepCommand implements Callable<Integer> {

    /**
     * The default target on digits: fine-tune-all from resnet-small.glyphs reached it at every batch size 8 to 512
     * within 2.7 epochs (docs/batch-sweep/). 0.95 took batch 8 five epochs in a first attempt, and with early
     * stopping on, batch 16 was stopped at two epochs short of it: too slow and too noisy a default.
     */
    static final double DIGITS_TARGET = 0.90;
    /** The default target on fashion5-9 (not verified by a full sweep). */
    static final double FASHION_TARGET = 0.85;

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Adapter id (./tl4j zoo list).")
    String model = "resnet-small.glyphs";

    @Option(names = "--strategy", paramLabel = "S", description = "fine-tune-all (discriminative rates), fine-tune-top"
            + " or scratch, with bench transfer's settings for it.")
    String strategy = BenchStrategy.FINE_TUNE_ALL.cliName();

    @Option(names = "--target", paramLabel = "T", description = "digits or fashion5-9, prepared under WORK/data.")
    String target = TransferTarget.DIGITS.id();

    @Option(names = "--data", paramLabel = "DIR", description = "Use this image folder as it is instead of"
            + " --target (one sub-folder per class, or train/ and test/).")
    Path data;

    @Option(names = "--size", paramLabel = "N|all", description = "Training images per class of the target.")
    String size = "all";

    @Option(names = "--max-per-class", paramLabel = "N", description = "Cap on training images per class (what"
            + " 'all' means when a class has more).")
    int maxPerClass = 1000;

    @Option(names = "--batches", split = ",", paramLabel = "N", description = "Batch sizes, in run order.")
    List<Integer> batches = new ArrayList<>(List.of(8, 16, 32, 64, 128, 256, 512));

    @Option(names = "--target-accuracy", paramLabel = "A", description = "Validation accuracy to reach, in (0, 1]."
            + " Default: " + DIGITS_TARGET + " for digits (reached by fine-tune-all from resnet-small.glyphs at"
            + " every batch size 8 to 512 within 2.7 epochs), " + FASHION_TARGET + " for fashion5-9 and for --data"
            + " (not verified by a sweep).")
    Double targetAccuracy;

    @Option(names = "--max-epochs", paramLabel = "N", description = "Epochs at most per batch size.")
    int maxEpochs = 10;

    @Option(names = "--evals-per-epoch", paramLabel = "N", description = "Validation evaluations per epoch (at most"
            + " one per update), so the time to the target is resolved to a fraction of an epoch.")
    int evalsPerEpoch = 4;

    @Option(names = "--early-stopping", description = "Let fit's growing-patience early stopping end a run before"
            + " the target (off: each run trains until the target or --max-epochs, so a noisy plateau does not end"
            + " it early).")
    boolean earlyStopping;

    @Option(names = "--lr-scaling", paramLabel = "none|linear|sqrt", description = "Rate of each batch size:"
            + " the strategy's fixed rate (none), or that rate times batch/32 (linear) or sqrt(batch/32).")
    String lrScaling = LrScaling.NONE.cliName();

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data sample, splits, weights, shuffles.")
    long seed = 1;

    @Option(names = "--work", required = true, paramLabel = "DIR", description = "Run folders, prepared data and"
            + " caches (reused on a rerun).")
    Path work;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results.json, results.md"
            + " and batch-sweep.png go.")
    Path out;

    @Override
    public Integer call() throws Exception {
        BenchStrategy parsedStrategy;
        try {
            parsedStrategy = BenchStrategy.parse(strategy);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("--strategy '" + strategy + "': use any of "
                    + BatchSweep.STRATEGIES.stream().map(BenchStrategy::cliName).toList(), e);
        }
        TransferTarget parsedTarget = data == null ? TransferTarget.parse(target) : null;
        TargetSize parsedSize;
        try {
            parsedSize = TargetSize.parse(size);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage().replace("--sizes", "--size"), e);
        }
        double accuracy = targetAccuracy != null ? targetAccuracy
                : parsedTarget == TransferTarget.DIGITS ? DIGITS_TARGET : FASHION_TARGET;
        BatchSweep.Settings settings = new BatchSweep.Settings(model, parsedStrategy, parsedTarget,
                data == null ? null : data.toAbsolutePath().normalize(), parsedSize, maxPerClass, batches,
                accuracy, maxEpochs, evalsPerEpoch, earlyStopping, seed, LrScaling.parse(lrScaling),
                work.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(), weights.settings(),
                !common.quiet());
        PrintWriter printer = spec.commandLine().getOut();
        new BatchSweep(settings).run(printer);
        return ExitCodes.OK;
    }
}
