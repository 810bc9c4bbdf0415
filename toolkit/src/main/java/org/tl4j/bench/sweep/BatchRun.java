package org.tl4j.bench.sweep;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.tl4j.train.RunRecord;

/**
 * One batch size of the sweep, read from its run's run.json ({@link #of}). Training time is the loop's wall time
 * minus what it spent on validation and checkpoints (run.json's {@code evalSeconds}), so images/s is the rate of
 * the updates alone.
 *
 * @param batch              images per mini-batch
 * @param learningRate       the base rate the run used
 * @param trainImages        images in the training split
 * @param updatesPerEpoch    updates per epoch (the last batch of an epoch may be smaller)
 * @param evalEvery          updates between validation evaluations
 * @param stopReason         how the run stopped: {@code target-reached}, {@code early-stopping} or {@code max-epochs}
 * @param updates            updates done
 * @param epochs             epochs completed
 * @param imagesTrained      training images processed (updates x batch, the smaller last batches counted as they are)
 * @param trainSeconds       seconds of training (validation and checkpoints excluded) up to the last evaluation
 * @param evalSeconds        seconds of validation and checkpoints up to the last evaluation
 * @param imagesPerSecond    {@code imagesTrained / trainSeconds}
 * @param reached            whether validation accuracy reached the target
 * @param secondsToTarget    training seconds to the first evaluation at or above the target, null when not reached
 * @param wallSecondsToTarget the same with validation and checkpoints included, null when not reached
 * @param updatesToTarget    updates to that evaluation, null when not reached
 * @param epochsToTarget     epochs (fractional: images / training split) to it, null when not reached
 * @param bestValAccuracy    the best validation accuracy of the run
 * @param testAccuracy       test accuracy of the weights fit kept (the best validation loss)
 * @param runWallSeconds     wall time of the whole run (model loading and test included)
 * @param milestones         training seconds, updates and epochs to each of {@link #MILESTONES} below the target and
 *                           to the target itself, read from the same history (so a run that stops at the target
 *                           also says how long lower accuracies took)
 * @param loadAtStart        /proc/loadavg when the run started (1, 5, 15 minutes)
 * @param loadAtEnd          /proc/loadavg when it finished
 * @param runFolder          the run folder (run.json, metrics.json)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchRun(int batch, double learningRate, int trainImages, int updatesPerEpoch, int evalEvery,
                       String stopReason, long updates, int epochs, long imagesTrained, double trainSeconds,
                       double evalSeconds, double imagesPerSecond, boolean reached, Double secondsToTarget,
                       Double wallSecondsToTarget, Long updatesToTarget, Double epochsToTarget, double bestValAccuracy,
                       double testAccuracy, double runWallSeconds, List<Milestone> milestones, String loadAtStart,
                       String loadAtEnd, String runFolder) {

    public BatchRun {
        milestones = milestones == null ? List.of() : List.copyOf(milestones); // batch.json of an older tl4j
    }

    /** The stopping reason of a run that diverged past fit's retries (no run.json: nothing else was measured). */
    public static final String DIVERGED = "diverged";

    /**
     * A batch size whose run diverged past fit's retries (the guard's rate cuts): recorded so the sweep goes on and
     * the table shows it, with no measurement (zeros) and the rate it was given.
     */
    public static BatchRun diverged(int batch, double learningRate, int trainImages, int evalEvery,
                                    String loadAtStart, String loadAtEnd, String folder) {
        return new BatchRun(batch, learningRate, trainImages, (trainImages + batch - 1) / batch, evalEvery, DIVERGED,
                0, 0, 0, 0, 0, 0, false, null, null, null, null, 0, 0, 0, List.of(), loadAtStart, loadAtEnd, folder);
    }

    /** Whether the run diverged (then only batch, rate and loads mean anything). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDiverged() {
        return DIVERGED.equals(stopReason);
    }

    /** The milestone of {@code accuracy}, if this run recorded it. */
    public java.util.Optional<Milestone> milestone(double accuracy) {
        return milestones.stream().filter(m -> m.accuracy() == accuracy).findFirst();
    }

    /** Validation accuracies whose time is read from every run besides the target's (those below the target). */
    public static final List<Double> MILESTONES = List.of(0.80, 0.85, 0.90);

    /**
     * The first evaluation at or above an accuracy.
     *
     * @param accuracy the validation accuracy
     * @param reached  whether the run reached it
     * @param seconds  training seconds to it (validation excluded), null when not reached
     * @param updates  updates to it, null when not reached
     * @param epochs   epochs (fractional) to it, null when not reached
     */
    public record Milestone(double accuracy, boolean reached, Double seconds, Long updates, Double epochs) {
    }

    /**
     * Reads a finished run.
     *
     * @param run       its run.json
     * @param target    the validation accuracy to reach
     * @param evalEvery updates between its evaluations
     * @param folder    its run folder
     */
    public static BatchRun of(RunRecord run, double target, int evalEvery, String loadAtStart, String loadAtEnd,
                              String folder) {
        int batch = run.settings().batch();
        int train = run.splits().train();
        int perEpoch = (train + batch - 1) / batch;
        List<RunRecord.EvaluationPoint> history = run.history();
        if (history.isEmpty()) {
            throw new IllegalStateException(folder + ": run.json has no validation evaluation to read times from");
        }
        RunRecord.EvaluationPoint last = history.get(history.size() - 1);
        long imagesTrained = images(last.update(), train, batch);
        double trainSeconds = trainingSeconds(last);
        RunRecord.EvaluationPoint hit = history.stream().filter(p -> p.valAccuracy() >= target).findFirst()
                .orElse(null);
        double best = history.stream().mapToDouble(RunRecord.EvaluationPoint::valAccuracy).max().orElse(0);
        return new BatchRun(batch, run.learningRate(), train, perEpoch, evalEvery, run.stopping().reason(),
                run.stopping().update(), run.stopping().epochs(), imagesTrained, trainSeconds,
                last.seconds() - trainSeconds, trainSeconds > 0 ? imagesTrained / trainSeconds : 0, hit != null,
                hit == null ? null : trainingSeconds(hit), hit == null ? null : hit.seconds(),
                hit == null ? null : hit.update(),
                hit == null ? null : (double) images(hit.update(), train, batch) / train, best,
                run.test().accuracy(), run.wallSeconds(), milestones(history, target, train, batch), loadAtStart,
                loadAtEnd, folder);
    }

    private static List<Milestone> milestones(List<RunRecord.EvaluationPoint> history, double target, int train,
                                              int batch) {
        List<Double> accuracies = new java.util.ArrayList<>(MILESTONES.stream().filter(a -> a < target).toList());
        accuracies.add(target);
        return accuracies.stream().map(a -> {
            RunRecord.EvaluationPoint hit = history.stream().filter(p -> p.valAccuracy() >= a).findFirst()
                    .orElse(null);
            return hit == null ? new Milestone(a, false, null, null, null) : new Milestone(a, true,
                    trainingSeconds(hit), hit.update(), (double) images(hit.update(), train, batch) / train);
        }).toList();
    }

    /** Training images processed by {@code updates} updates: full epochs, then whole batches of the next one. */
    static long images(long updates, int train, int batch) {
        int perEpoch = (train + batch - 1) / batch;
        long epochs = updates / perEpoch;
        long rest = updates % perEpoch;
        return epochs * train + rest * batch;
    }

    private static double trainingSeconds(RunRecord.EvaluationPoint p) {
        if (p.evalSeconds() == null) {
            throw new IllegalStateException("run.json has no evalSeconds (written by an older tl4j): rerun the batch");
        }
        return p.seconds() - p.evalSeconds();
    }
}
