package org.tl4j.train;

import java.util.List;
import java.util.Map;

/**
 * Provenance of one training run, written to {@code RUN/run.json}: what was trained from what, with which settings,
 * every learning-rate probe and divergence, the evaluation history (for curves) and how training stopped.
 *
 * @param format          {@link #FORMAT_VERSION}
 * @param adapterId       the adapter (spec id)
 * @param strategy        fine-tune, feature-extractor, scratch or svm
 * @param weights         where the starting weights came from
 * @param data            the image folder and its manifest hash
 * @param splits          how the data was split, with per-split counts
 * @param seed            the run's seed
 * @param settings        every setting as given
 * @param tap             the tap the head reads
 * @param freeze          the freeze point in force ({@code none} when nothing is frozen)
 * @param batchNorm       what fine-tuned BatchNorm layers did
 * @param learningRate    the base rate used (given, or found by the search)
 * @param lrSearch        the search's probes, null when the rate was given
 * @param plan            per-group and per-layer multipliers
 * @param divergences     every divergence the guard handled (rate divided by 3 after each)
 * @param featureCache    the featurize cache used (feature-extractor only), else null
 * @param history         one point per validation evaluation
 * @param stopping        how and when training stopped and which weights were kept
 * @param resumedFrom     the checkpoint's update this run resumed from (the last resume), null when never resumed
 * @param test            accuracy and loss on the test split (the full metrics are in metrics.json)
 * @param startedAt       ISO-8601 time the first attempt started
 * @param finishedAt      ISO-8601 time the run finished
 * @param wallSeconds     wall time of the attempt that finished the run
 * @param svm             the SVM's choice of C ({@code --strategy svm} only), else null
 * @param advice          the selector's advice this run carried out ({@code --strategy auto} only), else null
 */
public record RunRecord(int format, String adapterId, String strategy, WeightsProvenance weights, DataProvenance data,
                        SplitsProvenance splits, long seed, FitOptions settings, String tap, String freeze,
                        String batchNorm, double learningRate, BengioLrSearch.Result lrSearch, LrPlan plan,
                        List<DivergenceGuard.Event> divergences, FeatureCacheUse featureCache,
                        List<EvaluationPoint> history, Stopping stopping, Long resumedFrom, TestSummary test,
                        String startedAt, String finishedAt, double wallSeconds, SvmSummary svm,
                        AdviceSummary advice) {

    /** A run of a training strategy, without SVM or advice. */
    public RunRecord(int format, String adapterId, String strategy, WeightsProvenance weights, DataProvenance data,
                     SplitsProvenance splits, long seed, FitOptions settings, String tap, String freeze,
                     String batchNorm, double learningRate, BengioLrSearch.Result lrSearch, LrPlan plan,
                     List<DivergenceGuard.Event> divergences, FeatureCacheUse featureCache,
                     List<EvaluationPoint> history, Stopping stopping, Long resumedFrom, TestSummary test,
                     String startedAt, String finishedAt, double wallSeconds) {
        this(format, adapterId, strategy, weights, data, splits, seed, settings, tap, freeze, batchNorm, learningRate,
                lrSearch, plan, divergences, featureCache, history, stopping, resumedFrom, test, startedAt, finishedAt,
                wallSeconds, null, null);
    }

    /** This record with the advice that chose its strategy. */
    public RunRecord withAdvice(AdviceSummary given) {
        return new RunRecord(format, adapterId, strategy, weights, data, splits, seed, settings, tap, freeze,
                batchNorm, learningRate, lrSearch, plan, divergences, featureCache, history, stopping, resumedFrom,
                test, startedAt, finishedAt, wallSeconds, svm, given);
    }

    /** Version of this layout. */
    public static final int FORMAT_VERSION = 1;
    /** The file name in the run folder. */
    public static final String FILE_NAME = "run.json";

    /**
     * @param kind   {@code pretrained} (the adapter's weights), {@code source-model} (a tl4j model.zip given with
     *               --weights) or {@code untrained} (seeded initialisation)
     * @param file   the weight file, null when untrained
     * @param sha256 SHA-256 of the weight file, or of the initial parameters when untrained
     */
    public record WeightsProvenance(String kind, String file, String sha256) {
    }

    /**
     * @param folder       the image folder
     * @param manifestHash the manifest's data hash (paths, labels and content hashes of every image)
     * @param images       usable images
     * @param classes      class names, in output order
     */
    public record DataProvenance(String folder, String manifestHash, int images, List<String> classes) {
    }

    /**
     * @param file   the splits file in the run folder
     * @param source how the splits were made (stratified or from a train/val/test layout)
     * @param seed   their seed
     * @param train  images in train
     * @param val    images in val
     * @param test   images in test
     * @param perClass class -> split -> images
     */
    public record SplitsProvenance(String file, String source, long seed, int train, int val, int test,
                                   Map<String, Map<String, Integer>> perClass) {
    }

    /**
     * @param folder   the cache folder
     * @param train    train features' file
     * @param val      validation features' file
     * @param computed whether this run computed them (false: reused)
     * @param seconds  time to featurize (or open) the train, val and test splits (test codes too since the head is
     *                 evaluated on them)
     * @param engine   the featurize engine and why ({@code org.tl4j.infer.EngineSelection#record()}: engine,
     *                 requested, parity_rel_error, reason); null in records written before engines were chosen
     */
    public record FeatureCacheUse(String folder, String train, String val, boolean computed, double seconds,
                                  java.util.Map<String, Object> engine) {
    }

    /**
     * One validation evaluation.
     *
     * @param update      updates done
     * @param epoch       epochs completed when it was taken
     * @param trainLoss   mean training loss (with weight decay) of the updates since the previous evaluation
     * @param valLoss     mean negative log-likelihood on the validation split
     * @param valAccuracy accuracy on the validation split
     * @param score       the monitored score (lower is better)
     * @param outcome     what it did to early stopping
     * @param patience    early stopping's patience after it, in updates
     * @param seconds     wall seconds since the attempt started
     * @param evalSeconds of those, the seconds spent on validation and checkpoints (this point's validation
     *                    included), so {@code seconds - evalSeconds} is training time; null in older records
     */
    public record EvaluationPoint(long update, int epoch, double trainLoss, double valLoss, double valAccuracy,
                                  double score, String outcome, long patience, double seconds, Double evalSeconds) {
    }

    /**
     * @param reason      {@code early-stopping}, {@code max-epochs} or {@code target-reached} (validation accuracy
     *                    reached {@link FitOptions#stopAtAccuracy()})
     * @param update      updates done when it stopped
     * @param epochs      epochs completed
     * @param bestUpdate  the update whose weights were kept (the best validation score), -1 when none scored
     * @param bestScore   that score
     * @param monitor     what the score is
     */
    public record Stopping(String reason, long update, int epochs, long bestUpdate, double bestScore, String monitor) {
    }

    /**
     * @param images   test images
     * @param accuracy test accuracy
     * @param topK     k of the top-k accuracy
     * @param topKAccuracy top-k accuracy
     * @param meanLoss mean negative log-likelihood
     */
    public record TestSummary(int images, double accuracy, int topK, double topKAccuracy, double meanLoss) {
    }

    /**
     * The linear SVM of {@code --strategy svm}: C chosen on the validation split from a grid.
     *
     * @param solver      the LIBLINEAR solver
     * @param pooling     how the tap's activations were pooled into codes
     * @param c           the chosen C
     * @param grid        every C tried with its validation accuracy
     * @param valAccuracy the chosen model's validation accuracy (null without a validation split)
     */
    public record SvmSummary(String solver, String pooling, double c, List<SvmTrial> grid, Double valAccuracy) {
    }

    /**
     * @param c        a C tried
     * @param valScore its validation accuracy
     */
    public record SvmTrial(double c, double valScore) {
    }

    /**
     * What {@code --strategy auto} measured and chose; the full measurements are in {@code RUN/advice.json}.
     *
     * @param strategy the selector's strategy (e.g. FINE_TUNE_TOP)
     * @param tap      its tap
     * @param reasons  why, quoting the numbers
     * @param command  the fit settings that carried it out
     * @param file     the advice.json with every measurement
     * @param trials   the trials of {@code --advise-by-trial}, in the order run (empty without)
     */
    public record AdviceSummary(String strategy, String tap, List<String> reasons, String command, String file,
                                List<AdviceTrial> trials) {

        /** Advice from measurements alone (no trials). */
        public AdviceSummary(String strategy, String tap, List<String> reasons, String command, String file) {
            this(strategy, tap, reasons, command, file, List.of());
        }
    }

    /**
     * One trial of {@code --advise-by-trial} (org.tl4j.select.Advice.Trial as run.json records it).
     *
     * @param budgetUnit {@code epochs}, or {@code converged} for an SVM trained to convergence whatever the budget
     */
    public record AdviceTrial(String strategy, String tap, int rung, int budget, String budgetUnit, int trainImages,
                              int validationImages, double validationAccuracy, double seconds) {
    }
}
