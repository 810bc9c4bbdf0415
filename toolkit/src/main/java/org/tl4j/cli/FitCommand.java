package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Splits;
import org.tl4j.train.BatchNormMode;
import org.tl4j.train.FitOptions;
import org.tl4j.select.AutoStrategy;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.svm.SvmOptions;
import org.tl4j.train.Optimizer;
import org.tl4j.train.RunRecord;
import org.tl4j.train.Schedules;
import org.tl4j.train.Strategy;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j fit}: train a classifier on an image folder by transfer (or from scratch); all logic in TransferTraining. */
@Command(name = "fit",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Train a classifier on an image folder (one sub-folder per class) from an adapter: fine-tune"
                + " it, train a new head on its frozen features (feature-extractor, from the featurize cache), or"
                + " train the same architecture from scratch. Splits the data (RUN/splits.json), validates every N"
                + " updates with growing-patience early stopping, keeps the best weights, checkpoints to"
                + " RUN/checkpoints (--resume carries a killed run on exactly), and writes RUN/model.zip,"
                + " RUN/run.json and RUN/metrics.json (test split, evaluated once at the end).",
                "Example: ./tl4j fit --data digits --model resnet50-small --strategy scratch --out runs/scratch"})
final class FitCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Mixin
    private EngineOptions engine;

    @Mixin
    private TrialOptions trials;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder, one sub-folder per class.")
    Path data;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "Adapter id (./tl4j zoo list).")
    String model;

    @Option(names = "--strategy", required = true, paramLabel = "S",
            description = "fine-tune, feature-extractor, scratch, svm (linear SVM on --tap's codes, C chosen on"
                    + " validation) or auto (./tl4j advise on the training split, then what it advises;"
                    + " RUN/advice.json).")
    String strategy;

    @Option(names = "--out", paramLabel = "RUN", description = "Run folder (created). Required unless --dry-run.")
    Path out;

    @Option(names = "--weights", paramLabel = "MODEL.zip", description = "Start from a model.zip an earlier"
            + " ./tl4j fit of the same adapter wrote (its head is replaced), instead of the adapter's weights.")
    Path sourceWeights;

    @Option(names = "--tap", paramLabel = "TAP", description = "Tap the new head reads (default: the adapter's"
            + " default tap, its pooled penultimate features).")
    String tap;

    @Option(names = "--freeze-to", paramLabel = "X", description = "fine-tune: freeze up to and including this tap,"
            + " group or layer (or tap:X, group:X, layer:X; none).")
    String freezeTo;

    @Option(names = "--lr-mult", paramLabel = "G=M,...", description = "Per-group rate multipliers, e.g."
            + " head=10,res5=1,stem=0 (0 freezes).")
    String lrMult;

    @Option(names = "--discriminative", paramLabel = "F", description = "Spread multipliers geometrically from 1/F"
            + " (earliest group) to 1 (head).")
    Double discriminative;

    @Option(names = "--lr", paramLabel = "auto|RATE", description = "Base (head) learning rate, or auto for"
            + " Bengio's search (start large, /3 on divergence, 2x below the largest stable rate). Default: 0.01"
            + " (nesterov), 0.001 (adam).")
    String lr;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "Rate schedule: " + Schedules.FORMS)
    String schedule = "constant";

    @Option(names = "--optimizer", paramLabel = "nesterov|adam", description = "Update rule.")
    String optimizer = "nesterov";

    @Option(names = "--momentum", paramLabel = "M", description = "Nesterov momentum.")
    double momentum = 0.9;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "Weight decay on weights (none on biases"
            + " and BatchNorm parameters).")
    double weightDecay = 1e-4;

    @Option(names = "--batchnorm", paramLabel = "frozen|training", description = "What fine-tuned BatchNorm layers"
            + " do (default: frozen statistics for fine-tune, training mode for scratch).")
    String batchNorm;

    @Option(names = "--batch", paramLabel = "N", description = "Images per mini-batch.")
    int batch = 32;

    @Option(names = "--max-epochs", paramLabel = "N", description = "Epochs at most.")
    int maxEpochs = 30;

    @Option(names = "--eval-every", paramLabel = "N", description = "Updates between validation evaluations and"
            + " checkpoints (0: once per epoch).")
    int evalEvery;

    @Option(names = "--monitor", paramLabel = "loss|error", description = "Validation score early stopping"
            + " minimises.")
    String monitor = "loss";

    @Option(names = "--stop-at-accuracy", paramLabel = "A", description = "Stop at the first validation evaluation"
            + " with accuracy A or more (0 < A <= 1; run.json's stopping reason: target-reached). Default: off.")
    Double stopAtAccuracy;

    @Option(names = "--no-early-stopping", description = "Train for --max-epochs (the best weights are still kept).")
    boolean noEarlyStopping;

    @Option(names = "--patience", paramLabel = "N", description = "Initial patience in updates (0: five"
            + " evaluations); it grows to 2x the update of each significant improvement.")
    long patience;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the splits, new weights, shuffles.")
    long seed = Splits.DEFAULT_SEED;

    @Option(names = "--split", paramLabel = "TRAIN,VAL,TEST", converter = SplitCommand.FractionsConverter.class,
            description = "Shares in percent (ignored for a train/val/test folder layout).")
    Splits.Fractions fractions = Splits.Fractions.DEFAULT;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Featurize cache folder (default:"
            + " $TL4J_CACHE/features).")
    Path featureCache;

    @Option(names = "--resume", description = "Carry on the run in --out from its newest checkpoint.")
    boolean resume;

    @Option(names = "--dry-run", description = "Print the settings and the learning-rate plan; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        RunRecord.AdviceSummary advice = null;
        if (trials.enabled && !strategy.strip().equalsIgnoreCase("auto")) {
            throw new InvalidInputException("--advise-by-trial chooses the strategy: use it with --strategy auto, not "
                    + strategy);
        }
        if (strategy.strip().equalsIgnoreCase("auto")) {
            advice = followAdvice();
        }
        if (strategy.strip().equalsIgnoreCase("svm")) {
            return fitSvm(advice);
        }
        FitOptions options = options();
        TransferTraining training = new TransferTraining(options, weights.settings(), featureCache)
                .engine(engine.choice()).progress(!common.quiet());
        PrintWriter printer = spec.commandLine().getOut();
        if (dryRun) {
            printer.print(training.describe());
            printer.flush();
            return ExitCodes.OK;
        }
        if (out == null) {
            throw new InvalidInputException("--out RUN is required (the run folder); use --dry-run to only see the plan");
        }
        TransferTraining.FitResult result = training.fit(out, resume);
        if (advice != null) {
            SvmFitRun.write(out, result.run().withAdvice(advice));
        }
        // RUN/report.html and report.md, as ./tl4j report RUN writes them; the gallery's test pass on fit's engine
        org.tl4j.report.RunReport.write(out, engine.choice());
        printer.printf(Locale.ROOT, "%s: test accuracy %.4f (top-%d %.4f) on %d images; stopped by %s at update %d,"
                        + " best weights from update %d; %.1f s%n", out.resolve(TransferTraining.MODEL_FILE),
                result.test().accuracy(), result.test().topK(), result.test().topKAccuracy(), result.test().images(),
                result.run().stopping().reason(), result.run().stopping().update(),
                result.run().stopping().bestUpdate(), result.run().wallSeconds());
        printer.flush();
        return ExitCodes.OK;
    }

    /**
     * Runs the selector on the training split (as ./tl4j advise does), records and prints its advice, and sets this
     * command's options to the ones that carry it out (NextCommand's mapping, as advise prints it).
     */
    private RunRecord.AdviceSummary followAdvice() throws java.io.IOException {
        if (out == null && !dryRun) {
            throw new InvalidInputException("--out RUN is required (the run folder); use --dry-run to only see the plan");
        }
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(model);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        // A dry run measures but does not train, trials included.
        AutoStrategy.Decision decision = AutoStrategy.decide(adapter, weights.settings(), data, fractions, seed, batch,
                !common.quiet(), dryRun ? null : trials.settings(engine.choice()), engine.choice());
        PrintWriter printer = spec.commandLine().getOut();
        printer.print(decision.report().advice().describe());
        printer.println("carrying it out: fit " + String.join(" ", decision.fitArguments()));
        printer.flush();
        List<String> args = decision.fitArguments();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--strategy" -> strategy = value;
                case "--tap" -> tap = value;
                case "--lr-mult" -> lrMult = value;
                case "--discriminative" -> discriminative = Double.parseDouble(value);
                case "--optimizer" -> optimizer = value;
                case "--lr" -> lr = value;
                default -> throw new IllegalStateException("fit has no option " + args.get(i) + " for the advice");
            }
        }
        if (dryRun) {
            return null;
        }
        decision.writeTo(out);
        return decision.summary(out);
    }

    /** {@code --strategy svm}: a linear SVM on the tap's codes (SvmFitRun). */
    private Integer fitSvm(RunRecord.AdviceSummary advice) throws java.io.IOException {
        PrintWriter printer = spec.commandLine().getOut();
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(model);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        if (dryRun) {
            printer.printf(Locale.ROOT, "svm on %s codes of %s at tap %s, C from %s on the validation split%n",
                    sourceWeights == null ? "pretrained" : sourceWeights.toString(), adapter.id(),
                    tap == null ? adapter.defaultTap() : tap, java.util.Arrays.toString(SvmOptions.DEFAULT_GRID));
            printer.flush();
            return ExitCodes.OK;
        }
        if (out == null) {
            throw new InvalidInputException("--out RUN is required (the run folder); use --dry-run to only see the plan");
        }
        CnnCodes extractor;
        RunRecord.WeightsProvenance provenance;
        if (sourceWeights != null) {
            extractor = SvmFitRun.extractorFromRun(adapter, sourceWeights);
            provenance = new RunRecord.WeightsProvenance("source-model", sourceWeights.toAbsolutePath().toString(),
                    null);
        } else if (adapter.hasWeights()) {
            extractor = CnnCodes.of(adapter.id(), weights.settings());
            provenance = new RunRecord.WeightsProvenance("pretrained", null, null);
        } else {
            throw new InvalidInputException("adapter '" + adapter.id() + "' has no pretrained weights: an SVM on its"
                    + " codes needs trained ones; pass --weights RUN/model.zip from an earlier ./tl4j fit");
        }
        extractor.batchSize(batch);
        if (featureCache != null) {
            extractor.cacheFolder(featureCache);
        }
        SvmFitRun.Result result = SvmFitRun.run(new SvmFitRun.Settings(data.toAbsolutePath().normalize(), adapter,
                extractor, provenance, tap, fractions, seed, SvmOptions.defaults()), out, !common.quiet());
        if (advice != null) {
            SvmFitRun.write(out, result.run().withAdvice(advice));
        }
        org.tl4j.report.RunReport.write(out, engine.choice()); // RUN/report.html and report.md, as for the others
        printer.printf(Locale.ROOT, "%s: SVM at tap %s, C %s; test accuracy %.4f on %d images; %.1f s%n",
                out.resolve(TransferTraining.MODEL_FILE), result.run().tap(), result.model().c(),
                result.test().accuracy(), result.test().images(), result.run().wallSeconds());
        printer.flush();
        return ExitCodes.OK;
    }

    FitOptions options() {
        Optimizer.Method method = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "nesterov" -> Optimizer.Method.NESTEROV;
            case "adam" -> Optimizer.Method.ADAM;
            default -> throw new InvalidInputException("--optimizer " + optimizer + ": use nesterov or adam");
        };
        Optimizer opt = new Optimizer(method, momentum, weightDecay);
        Double rate;
        if (lr == null) {
            rate = FitOptions.defaultRate(opt);
        } else if (lr.equalsIgnoreCase("auto")) {
            rate = null;
        } else {
            try {
                rate = Double.parseDouble(lr);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--lr " + lr + ": use auto or a positive number such as 0.01");
            }
        }
        BatchNormMode mode = batchNorm == null ? null : switch (batchNorm.toLowerCase(Locale.ROOT)) {
            case "frozen", "frozen-statistics" -> BatchNormMode.FROZEN_STATISTICS;
            case "training" -> BatchNormMode.TRAINING;
            default -> throw new InvalidInputException("--batchnorm " + batchNorm + ": use frozen or training");
        };
        FitOptions.Monitor score = switch (monitor.toLowerCase(Locale.ROOT)) {
            case "loss" -> FitOptions.Monitor.LOSS;
            case "error" -> FitOptions.Monitor.ERROR;
            default -> throw new InvalidInputException("--monitor " + monitor + ": use loss or error");
        };
        Schedules.parse(schedule, 1.0); // a bad --schedule fails before any work
        Strategy parsed;
        try {
            parsed = Strategy.parse(strategy);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("--strategy '" + strategy + "': use fine-tune, feature-extractor, scratch,"
                    + " svm or auto", e);
        }
        return new FitOptions(data.toAbsolutePath().normalize(), model, parsed,
                sourceWeights == null ? null : sourceWeights.toAbsolutePath().normalize(), tap, freezeTo, lrMult,
                discriminative, rate, schedule, opt, mode, batch, maxEpochs, evalEvery, score, !noEarlyStopping,
                patience, seed, fractions, stopAtAccuracy);
    }
}
