package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Splits;
import org.tl4j.train.BengioLrSearch;
import org.tl4j.train.FitOptions;
import org.tl4j.train.LrRangeTest;
import org.tl4j.train.Optimizer;
import org.tl4j.train.Strategy;
import org.tl4j.train.TransferTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j lr-find}: search a learning rate on real mini-batches of the training split, train nothing. */
@Command(name = "lr-find",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Find a learning rate for ./tl4j fit on the training split's mini-batches, without training:"
                + " bengio (start large, divide by 3 while the loss diverges, take half the largest stable rate;"
                + " every probe starts from the same weights) or range (an exponential sweep from 1e-6, smoothed"
                + " loss, stop on blow-up; suggests the steepest descent). Prints the probes or the curve; --out"
                + " writes them as JSON.")
final class LrFindCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder, one sub-folder per class.")
    Path data;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "Adapter id.")
    String model;

    @Option(names = "--strategy", paramLabel = "S", description = "fine-tune, feature-extractor or scratch.")
    String strategy = "fine-tune";

    @Option(names = "--method", paramLabel = "bengio|range", description = "Search method.")
    String method = "bengio";

    @Option(names = "--weights", paramLabel = "MODEL.zip", description = "Start from a model.zip of the same adapter.")
    Path sourceWeights;

    @Option(names = "--tap", paramLabel = "TAP", description = "Tap the new head reads.")
    String tap;

    @Option(names = "--freeze-to", paramLabel = "X", description = "fine-tune: freeze up to this tap/group/layer.")
    String freezeTo;

    @Option(names = "--lr-mult", paramLabel = "G=M,...", description = "Per-group rate multipliers.")
    String lrMult;

    @Option(names = "--discriminative", paramLabel = "F", description = "Geometric multipliers from 1/F to 1.")
    Double discriminative;

    @Option(names = "--optimizer", paramLabel = "nesterov|adam", description = "Update rule.")
    String optimizer = "nesterov";

    @Option(names = "--batch", paramLabel = "N", description = "Images per mini-batch.")
    int batch = 32;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the splits, head and shuffles.")
    long seed = Splits.DEFAULT_SEED;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Featurize cache folder.")
    Path featureCache;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Write the probes / curve and suggestion here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Optimizer.Method rule = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "nesterov" -> Optimizer.Method.NESTEROV;
            case "adam" -> Optimizer.Method.ADAM;
            default -> throw new InvalidInputException("--optimizer " + optimizer + ": use nesterov or adam");
        };
        FitOptions options = FitOptions.builder(data.toAbsolutePath().normalize(), model, Strategy.parse(strategy))
                .sourceWeights(sourceWeights).tap(tap).freezeTo(freezeTo).lrMult(lrMult)
                .discriminative(discriminative).optimizer(new Optimizer(rule, Optimizer.DEFAULT.momentum(),
                        Optimizer.DEFAULT.weightDecay())).batch(batch).seed(seed).learningRate(null).build();
        TransferTraining.LrFinding finding = new TransferTraining(options, weights.settings(), featureCache)
                .progress(!common.quiet()).findLearningRate(method);
        PrintWriter printer = spec.commandLine().getOut();
        if (finding.bengio() != null) {
            printer.printf(Locale.ROOT, "%12s %12s %12s  %s%n", "RATE", "LOSS BEFORE", "LOSS AFTER", "DIVERGED");
            for (BengioLrSearch.ProbeRecord probe : finding.bengio().probes()) {
                printer.printf(Locale.ROOT, "%12.4g %12.4f %12.4f  %s%n", probe.learningRate(), probe.firstLoss(),
                        probe.lastLoss(), probe.diverged() ? "yes" : "no");
            }
            printer.printf(Locale.ROOT, "largest stable rate %.4g; suggested --lr %.4g%n",
                    finding.bengio().largestStable(), finding.suggested());
        } else {
            List<LrRangeTest.Point> curve = finding.range().curve();
            printer.printf(Locale.ROOT, "%12s %12s %12s%n", "RATE", "LOSS", "SMOOTHED");
            int step = Math.max(1, curve.size() / 25);
            for (int i = 0; i < curve.size(); i += step) {
                LrRangeTest.Point p = curve.get(i);
                printer.printf(Locale.ROOT, "%12.4g %12.4f %12.4f%n", p.learningRate(), p.loss(), p.smoothedLoss());
            }
            printer.printf(Locale.ROOT, "%d steps%s; steepest descent at %.4g (suggested --lr), minimum at %.4g%n",
                    curve.size(), finding.range().stoppedOnBlowUp() ? ", stopped on blow-up" : "", finding.suggested(),
                    finding.range().minimumLossRate());
        }
        if (out != null) {
            AtomicFiles.write(out, o -> Json.MAPPER.writeValue(o, finding));
            printer.println("wrote " + out);
        }
        printer.flush();
        return ExitCodes.OK;
    }
}
