package org.tl4j.select;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.train.FitOptions;
import org.tl4j.train.Optimizer;
import org.tl4j.train.RunRecord;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.weights.WeightSettings;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * {@code fit --strategy auto}: the selector ({@link Advisor}) measured on the training part of the same seeded
 * split fit makes (validation and test images are never read), then the fit options that carry its advice out
 * ({@link NextCommand#fitArguments}, the same options {@code ./tl4j advise} prints).
 *
 * <pre>{@code
 * AutoStrategy.Decision d = AutoStrategy.decide(spec, settings, data, Splits.Fractions.DEFAULT, 42, 32);
 * d.writeTo(runFolder);            // RUN/advice.json
 * List<String> fitOptions = d.fitArguments();   // e.g. --strategy fine-tune --tap res5 --discriminative 10 ...
 * }</pre>
 */
public final class AutoStrategy {

    /** The advice file in the run folder (the run report shows it). */
    public static final String FILE_NAME = "advice.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AutoStrategy() {
    }

    /**
     * @param report       every measurement and the advice
     * @param fitArguments the fit options that carry the advice out
     */
    public record Decision(Advisor.Report report, List<String> fitArguments) {

        /** Writes RUN/advice.json atomically. */
        public void writeTo(Path runFolder) throws IOException {
            Files.createDirectories(runFolder);
            AtomicFiles.write(runFolder.resolve(FILE_NAME), o -> JSON.writeValue(o, report));
        }

        /** Whether the advice is an SVM on a tap ({@link org.tl4j.svm.SvmFitRun}), not a network training run. */
        public boolean isSvm() {
            return fitArguments.contains("svm");
        }

        /**
         * The Java route: {@code base}'s settings (data, seed, splits, batch, epochs, stopping) with the advice's
         * strategy, tap, multipliers and rate, for {@code new TransferTraining(options, ...)}.
         *
         * @throws IllegalStateException for SVM advice, which {@link org.tl4j.svm.SvmFitRun} carries out
         */
        public FitOptions fitOptions(FitOptions base) {
            if (isSvm()) {
                throw new IllegalStateException("SVM advice is carried out by SvmFitRun, not TransferTraining");
            }
            String strategy = null;
            String tap = base.tap();
            String lrMult = base.lrMult();
            Double discriminative = base.discriminative();
            Double rate = base.learningRate();
            Optimizer optimizer = base.optimizer();
            for (int i = 0; i + 1 < fitArguments.size(); i += 2) {
                String value = fitArguments.get(i + 1);
                switch (fitArguments.get(i)) {
                    case "--strategy" -> strategy = value;
                    case "--tap" -> tap = value;
                    case "--lr-mult" -> lrMult = value;
                    case "--discriminative" -> discriminative = Double.parseDouble(value);
                    case "--optimizer" -> optimizer = new Optimizer(Optimizer.Method.valueOf(
                            value.toUpperCase(java.util.Locale.ROOT)), optimizer.momentum(), optimizer.weightDecay());
                    case "--lr" -> rate = Double.parseDouble(value);
                    default -> throw new IllegalStateException("no FitOptions setting for " + fitArguments.get(i));
                }
            }
            return new FitOptions(base.data(), base.model(), org.tl4j.train.Strategy.parse(strategy),
                    base.sourceWeights(), tap, base.freezeTo(), lrMult, discriminative, rate, base.schedule(),
                    optimizer, base.batchNorm(), base.batch(), base.maxEpochs(), base.evalEvery(), base.monitor(),
                    base.earlyStopping(), base.patience(), base.seed(), base.fractions(), base.stopAtAccuracy());
        }

        /** What run.json records of it. */
        public RunRecord.AdviceSummary summary(Path runFolder) {
            Advice advice = report.advice();
            return new RunRecord.AdviceSummary(advice.strategy().name(), advice.tap(), advice.reasons(),
                    String.join(" ", fitArguments), runFolder.resolve(FILE_NAME).toAbsolutePath().toString(),
                    advice.trials().stream().map(t -> new RunRecord.AdviceTrial(t.strategy().name(), t.tap(),
                            t.rung(), t.budget(), t.budgetUnit(), t.trainImages(), t.validationImages(),
                            t.validationAccuracy(), t.seconds())).toList());
        }
    }

    /**
     * Measures and advises on the training split of {@code data} ({@code fractions}, {@code seed} as fit splits it).
     * An adapter without pretrained weights is measured with random weights standing in, so the advice is scratch.
     */
    public static Decision decide(AdapterSpec adapter, WeightSettings weights, Path data, Splits.Fractions fractions,
                                  long seed, int batch, boolean progress) throws IOException {
        return decide(adapter, weights, data, fractions, seed, batch, progress, null);
    }

    /**
     * As {@link #decide(AdapterSpec, WeightSettings, Path, Splits.Fractions, long, int, boolean)}, then, when
     * {@code trials} is not null ({@code --advise-by-trial}), short trials of the selector's best candidates on a
     * subsample of the training split decide ({@link AdviceTrials}); the advice records them.
     *
     * <pre>{@code
     * AutoStrategy.decide(spec, settings, data, Splits.Fractions.DEFAULT, 42, 32, true, AdviceTrials.Settings.DEFAULT);
     * }</pre>
     */
    public static Decision decide(AdapterSpec adapter, WeightSettings weights, Path data, Splits.Fractions fractions,
                                  long seed, int batch, boolean progress, AdviceTrials.Settings trials)
            throws IOException {
        return decide(adapter, weights, data, fractions, seed, batch, progress, trials, EngineChoice.ND4J);
    }

    /** As above, with the selector's frozen passes on {@code engine} ({@code fit --engine}). */
    public static Decision decide(AdapterSpec adapter, WeightSettings weights, Path data, Splits.Fractions fractions,
                                  long seed, int batch, boolean progress, AdviceTrials.Settings trials,
                                  EngineChoice engine) throws IOException {
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(progress));
        List<Manifest.Entry> training = Splits.of(manifest, fractions, seed).entries(manifest, Splits.Part.TRAIN);
        ComputationGraph graph = adapter.hasWeights() ? new AdapterLoader(weights).load(adapter).graph() : null;
        Advisor advisor = new Advisor(new Advisor.Options(List.of(), LinearProbe.DEFAULT_FOLDS, seed, batch, 200,
                SelectorThresholds.DEFAULT, engine));
        Advisor.Report report = advisor.advise(adapter, graph, manifest, training);
        if (trials != null) {
            report = withTrials(report, adapter, weights, trials, seed, batch, progress, graph, manifest, training);
        }
        return new Decision(report, NextCommand.fitArguments(report.advice()));
    }

    /** The report with the trials' winner as its advice; the trials run in a temporary folder, deleted after. */
    public static Advisor.Report withTrials(Advisor.Report report, AdapterSpec adapter, WeightSettings weights,
                                            AdviceTrials.Settings trials, long seed, int batch, boolean progress,
                                            ComputationGraph graph, Manifest manifest, List<Manifest.Entry> training)
            throws IOException {
        Path temp = Files.createTempDirectory("tl4j-trials-");
        try {
            AdviceTrials.Outcome outcome = new AdviceTrials(adapter, weights, trials, seed, batch, progress)
                    .run(report, graph, manifest, training, temp.resolve("work"));
            return report.withAdvice(outcome.advice(), List.of(String.format(java.util.Locale.ROOT,
                    "advice by trial: %d trial runs on %d training images (validation %d, choice %d), all from the"
                            + " training split", outcome.advice().trials().size(), outcome.data().train().size(),
                    outcome.data().validation().size(), outcome.data().holdout().size())));
        } finally {
            Files.deleteIfExists(temp.resolve("work"));
            Files.deleteIfExists(temp);
        }
    }
}
