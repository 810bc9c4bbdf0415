package org.tl4j.select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.FileTrees;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.svm.SvmOptions;
import org.tl4j.train.FitOptions;
import org.tl4j.train.RunRecord;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * {@code --advise-by-trial}: short trials of the selector's best candidates ({@link StrategySelector#candidates})
 * on a subsample of the training split ({@link TrialData}), by successive halving ({@link SuccessiveHalving}; the
 * budget is training epochs, doubling per rung), chosen by accuracy on validation images carved from the training
 * split. Each trial is a real {@code fit} run (TransferTraining, or SvmFitRun for the SVM) in a work folder; the
 * target's validation and test splits are never read.
 *
 * <pre>{@code
 * AdviceTrials.Outcome o = new AdviceTrials(spec, weightSettings, AdviceTrials.Settings.DEFAULT, seed, batch, true)
 *         .run(report, graph, manifest, training, workFolder);
 * o.advice();   // the winner, its reasons quoting every trial, o.advice().trials() the results
 * }</pre>
 */
public final class AdviceTrials {

    private static final Logger LOG = LoggerFactory.getLogger(AdviceTrials.class);

    /**
     * @param candidates  how many of the selector's candidates to try (1 to 3; 1 tries nothing)
     * @param firstEpochs the first rung's epochs (doubled each rung)
     * @param perClass    at most this many training images per class are used (split 60/20/20 into trial
     *                    training, early-stopping validation and the held-out choice)
     * @param engine      engine of the feature extractor's featurize pass in trials
     */
    public record Settings(int candidates, int firstEpochs, int perClass, EngineChoice engine) {

        /** Three candidates, 2 epochs first (then 4), at most 60 images per class, nd4j. */
        public static final Settings DEFAULT = new Settings(3, 2, 60, EngineChoice.ND4J);

        public Settings {
            if (candidates < 1 || candidates > 3) {
                throw new InvalidInputException("--trial-candidates must be 1, 2 or 3, got " + candidates);
            }
            if (firstEpochs < 1) {
                throw new InvalidInputException("--trial-epochs must be at least 1, got " + firstEpochs);
            }
            if (perClass < 3) {
                throw new InvalidInputException("--trial-per-class must be at least 3, got " + perClass);
            }
            Objects.requireNonNull(engine, "engine");
        }
    }

    /**
     * @param advice   the winner, with reasons that quote the trials, and every trial
     * @param data     the images the trials used (all from the training split)
     * @param schedule the successive-halving outcome
     */
    public record Outcome(Advice advice, TrialData data, SuccessiveHalving.Outcome schedule) {
    }

    private final AdapterSpec spec;
    private final WeightSettings weights;
    private final Settings settings;
    private final long seed;
    private final int batch;
    private final boolean progress;

    /**
     * @param spec     the adapter (its own pretrained weights start the transfer trials)
     * @param weights  where its weights are cached
     * @param settings trial settings
     * @param seed     seed of the subsample and of every trial run
     * @param batch    mini-batch size of the trials
     * @param progress whether trial runs log their progress
     */
    public AdviceTrials(AdapterSpec spec, WeightSettings weights, Settings settings, long seed, int batch,
                        boolean progress) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.batch = batch;
        this.progress = progress;
    }

    /**
     * @param report   the selector's measurements and advice
     * @param trained  the adapter's graph with trained weights (its codes feed the SVM trial), or null when it has
     *                 none (then only scratch is a candidate and nothing is tried)
     * @param manifest the target folder
     * @param training its training split
     * @param work     a folder for the trial runs (created; its contents are deleted when the trials end)
     */
    public Outcome run(Advisor.Report report, ComputationGraph trained, Manifest manifest,
                       List<Manifest.Entry> training, Path work) throws IOException {
        SelectorEvidence evidence = report.evidence(spec);
        List<Advice> candidates = new StrategySelector(SelectorThresholds.DEFAULT).candidates(evidence,
                trained == null ? 1 : settings.candidates());
        TrialData data = TrialData.carve(manifest, training, settings.perClass(), seed);
        if (candidates.size() == 1) {
            List<String> reasons = new ArrayList<>(candidates.get(0).reasons());
            reasons.add("no trials: " + (trained == null ? "the adapter has no trained weights, so scratch is the"
                    + " only candidate" : "one candidate asked for"));
            Advice advice = candidates.get(0).withTrials(reasons, List.of());
            return new Outcome(advice, data, new SuccessiveHalving.Outcome(0, List.of()));
        }
        if (Files.exists(work)) {
            throw new InvalidInputException(work + " already exists: the trials need a new work folder");
        }
        Files.createDirectories(work);
        try {
            Path folder = data.materialise(manifest, work.resolve("data"));
            Map<Strategy, Double> converged = new HashMap<>();
            List<Advice.Trial> trials = new ArrayList<>();
            LOG.info(String.format(Locale.ROOT, "trials: %d candidates (%s) by successive halving, %d trial runs, on"
                            + " %d training images, validation on %d (early stopping) and %d (the choice), all from the"
                            + " training split", candidates.size(), candidates.stream().map(a -> a.strategy().name())
                            .toList(), SuccessiveHalving.trialCount(candidates.size()), data.train().size(),
                    data.validation().size(), data.holdout().size()));
            SuccessiveHalving.Outcome schedule = SuccessiveHalving.run(candidates, settings.firstEpochs(),
                    (candidate, epochs) -> {
                        long start = System.nanoTime();
                        boolean svm = candidate.strategy() == Strategy.SVM_ON_EARLIER_TAP;
                        Double known = svm ? converged.get(candidate.strategy()) : null;
                        double accuracy = known != null ? known : trial(candidate, trained, epochs, folder,
                                work, trials.size() + 1);
                        if (svm) {
                            converged.put(candidate.strategy(), accuracy);
                        }
                        int rung = Integer.numberOfTrailingZeros(epochs / settings.firstEpochs());
                        Advice.Trial t = new Advice.Trial(candidate.strategy(), candidate.tap(), rung, epochs,
                                svm ? "converged" : "epochs", data.train().size(), data.holdout().size(), accuracy,
                                (System.nanoTime() - start) / 1e9);
                        trials.add(t);
                        LOG.info("trial result: {}", t);
                        return accuracy;
                    },
                    (number, total, rung, candidate, epochs) -> LOG.info(String.format(Locale.ROOT,
                            "trial %d/%d (rung %d): %s at %s, %s", number, total, rung, candidate.strategy(),
                            candidate.tap(), candidate.strategy() == Strategy.SVM_ON_EARLIER_TAP
                                    ? "trained to convergence" : epochs + " epoch(s)")));
            Advice winner = candidates.get(schedule.winner());
            return new Outcome(winner.withTrials(reasons(winner, candidates.get(0), data, trials, settings.perClass()), trials), data,
                    schedule);
        } finally {
            FileTrees.delete(work);
        }
    }

    /** One trial run through fit's code; its score is the accuracy on the held-out validation part. */
    private double trial(Advice candidate, ComputationGraph trained, int epochs, Path folder, Path work, int number) throws IOException {
        Path out = work.resolve(String.format(Locale.ROOT, "trial-%02d-%s-%d", number,
                candidate.strategy().name().toLowerCase(Locale.ROOT), epochs));
        AutoStrategy.Decision decision = new AutoStrategy.Decision(null, NextCommand.fitArguments(candidate));
        if (decision.isSvm()) {
            CnnCodes extractor = CnnCodes.of(spec, trained).batchSize(batch).cacheFolder(work.resolve("codes"));
            SvmFitRun.Result r = SvmFitRun.run(new SvmFitRun.Settings(folder, spec, extractor,
                    new RunRecord.WeightsProvenance("pretrained", null, null), candidate.tap(),
                    Splits.Fractions.DEFAULT, seed, SvmOptions.defaults()), out, progress);
            FileTrees.delete(out); // only its score is kept: the next trial needs the disk more than this model
            return r.test().accuracy();
        }
        FitOptions base = FitOptions.builder(folder, spec.id(), org.tl4j.train.Strategy.FINE_TUNE).seed(seed)
                .batch(batch).maxEpochs(epochs).build();
        TransferTraining.FitResult r = new TransferTraining(decision.fitOptions(base), weights,
                work.resolve("features")).engine(settings.engine()).progress(progress).fit(out, false);
        FileTrees.delete(out);
        return r.test().accuracy();
    }

    private static List<String> reasons(Advice winner, Advice measured, TrialData data, List<Advice.Trial> trials,
                                        int perClass) {
        // The measurements' reasons stay (they describe the data and the source); a different winner adds its own.
        List<String> reasons = new ArrayList<>(measured.reasons());
        if (winner.strategy() != measured.strategy()) {
            reasons.addAll(winner.reasons());
        }
        Advice.Trial best = trials.stream().filter(t -> t.strategy() == winner.strategy())
                .max(Comparator.comparingInt(Advice.Trial::rung)).orElseThrow();
        reasons.add(String.format(Locale.ROOT, "chosen by trial: successive halving over %d candidates on a seeded"
                        + " subsample of the training split (at most %d images per class: %d to train, %d to stop early,"
                        + " %d to choose; the validation and test splits untouched); %s won with validation accuracy"
                        + " %.3f (its last trial: %s)", trials.stream().map(Advice.Trial::strategy).distinct().count(),
                perClass, data.train().size(), data.validation().size(), data.holdout().size(), winner.strategy(),
                best.validationAccuracy(), best));
        for (Advice.Trial t : trials) {
            reasons.add("trial " + t);
        }
        if (winner.strategy() != Strategy.SCRATCH && trials.stream().anyMatch(t -> t.strategy() == Strategy.SCRATCH)) {
            // Measured on Fashion-MNIST 5-9 (glyph source): scratch 0.217 after 2 epochs, fine-tune-all 0.717.
            reasons.add("caution: trials of a few epochs favour strategies that start from pretrained weights;"
                    + " training from scratch learns more slowly and may catch up with the full budget");
        }
        if (winner.strategy() != measured.strategy()) {
            reasons.add("the trials overrule the measurements' advice (" + measured.strategy() + ")");
        }
        return reasons;
    }
}
