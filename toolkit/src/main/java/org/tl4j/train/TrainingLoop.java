package org.tl4j.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.AtomicFiles;
import org.tl4j.progress.Progress;
import org.tl4j.progress.ProgressTask;
import org.tl4j.zoo.safety.SafeModelLoader;

/**
 * The training loop every strategy shares: one update per mini-batch; every {@code evalEvery} updates (and at the
 * end) the validation score, growing-patience early stopping, the divergence guard and a checkpoint; at the end
 * the best weights are put back. A folder with checkpoints is carried on from its newest usable one, ending with
 * exactly the weights of an uninterrupted run (CPU, same seed): the model with its updater state, the counts, the
 * data position, ND4J's generator, early stopping, the guard and the history are all restored.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** A mean training loss above this factor times the best one counts as divergence. */
    static final double BLOW_UP_FACTOR = 5.0;
    /** Restores with a smaller rate before giving up. */
    static final int MAX_RETRIES = 3;
    /** Theano tutorials' settings for growing patience. */
    static final double PATIENCE_INCREASE = 2.0;
    static final double IMPROVEMENT_THRESHOLD = 0.995;
    /** Initial patience, in evaluations, when none is given. */
    static final int DEFAULT_PATIENCE_EVALUATIONS = 5;

    /** Validation of a graph: returns the accumulated predictions on the validation split. */
    interface Validation {
        ClassificationMetrics.Accumulator run(ComputationGraph graph);
    }

    /**
     * What the loop needs besides the data.
     *
     * @param configure     the graph configured to train by the plan, following the given schedule; called for a
     *                      fresh start with the run's schedule and after a divergence with the reduced one
     * @param schedule      the run's schedule (before any reduction)
     * @param evalEvery     updates between evaluations and checkpoints
     * @param maxEpochs     epochs at most
     * @param monitor       the validation score
     * @param earlyStopping whether patience may stop the run
     * @param patience      initial patience in updates
     * @param stopAtAccuracy stop at the first evaluation whose validation accuracy is at least this; null for never
     */
    record Settings(Function<ISchedule, ComputationGraph> configure, ISchedule schedule, int evalEvery, int maxEpochs,
                    FitOptions.Monitor monitor, boolean earlyStopping, long patience, Double stopAtAccuracy) {
    }

    /** The stopping reason when validation accuracy reached {@link Settings#stopAtAccuracy()}. */
    static final String TARGET_REACHED = "target-reached";

    /** What the loop did. */
    record Outcome(ComputationGraph graph, List<RunRecord.EvaluationPoint> history,
                   List<DivergenceGuard.Event> divergences, RunRecord.Stopping stopping, Long resumedFrom) {
    }

    private final Settings settings;
    private final Checkpoints store;
    private final long startNanos = System.nanoTime();
    private final GrowingPatience patience;
    private final DivergenceGuard guard = new DivergenceGuard(BLOW_UP_FACTOR, MAX_RETRIES);
    private final List<RunRecord.EvaluationPoint> history = new ArrayList<>();
    private ComputationGraph graph;
    private Snapshot lastGood;
    private double lossSum;
    private int lossCount;
    private long lastEvaluated = -1;
    /** Wall nanoseconds of this attempt spent on validation and checkpoints (not training). */
    private long evalNanos;
    /** Images of the current epoch, so an epoch of many minutes shows life between evaluations. */
    private ProgressTask epochProgress;
    private String stopReason;
    private java.util.function.LongConsumer afterCheckpoint = iteration -> { };

    private record Snapshot(INDArray params, INDArray updaterState, long iteration, int epoch) {
    }

    TrainingLoop(Settings settings, Path checkpointFolder) {
        this.settings = settings;
        this.store = new Checkpoints(checkpointFolder, new CheckpointPolicy(settings.evalEvery(),
                java.time.Duration.ZERO, 2, true));
        this.patience = new GrowingPatience(settings.patience(), PATIENCE_INCREASE, IMPROVEMENT_THRESHOLD);
    }

    /** Called after each checkpoint with its update (tests interrupt a run there). */
    TrainingLoop afterCheckpoint(java.util.function.LongConsumer hook) {
        this.afterCheckpoint = hook;
        return this;
    }

    /** Whether the folder holds a checkpoint to resume from. */
    static boolean hasCheckpoint(Path checkpointFolder) throws IOException {
        return new Checkpoints(checkpointFolder, CheckpointPolicy.everyUpdates(1, 1)).latest().isPresent();
    }

    Outcome run(TrainingData data, Validation validation) throws IOException {
        Optional<Checkpoint> resumed = store.latest();
        Long resumedFrom = null;
        if (resumed.isPresent()) {
            Checkpoint checkpoint = resumed.get();
            graph = checkpoint.restoreGraph();
            data.seek(checkpoint.state().data());
            checkpoint.state().random().restore();
            if (checkpoint.state().earlyStopping() != null) {
                patience.restore(checkpoint.state().earlyStopping());
            }
            TrainerState state = readState(checkpoint.state().iteration());
            history.addAll(state.history());
            guard.restore(state.guard());
            stopReason = state.stopReason();
            lastEvaluated = checkpoint.state().iteration();
            resumedFrom = checkpoint.state().iteration();
            LOG.info("resuming from {} at update {} (epoch {}, batch {})", checkpoint.model(),
                    checkpoint.state().iteration(), checkpoint.state().data().epoch(), checkpoint.state().data().batch());
        } else {
            graph = settings.configure().apply(settings.schedule());
        }
        lastGood = snapshot();
        while (stopReason == null) {
            // Checked before anything else, not only when an epoch ends: a run resumed from the checkpoint that the
            // evaluation below writes (killed before the stop reason's own checkpoint) has its last epoch done.
            if (graph.getEpochCount() >= settings.maxEpochs()) {
                if (lastEvaluated != graph.getIterationCount()) {
                    evaluate(data, validation);
                }
                if (stopReason == null) {
                    stopReason = "max-epochs";
                    // Unscored unless the last evaluation was of these very weights (a stale score could
                    // make retention keep this checkpoint instead of the best one).
                    boolean scored = lastEvaluated == graph.getIterationCount() && !history.isEmpty();
                    long started = System.nanoTime();
                    checkpoint(data, scored ? history.get(history.size() - 1).score() : Double.NaN);
                    evalNanos += System.nanoTime() - started;
                }
                continue;
            }
            if (!data.hasNext()) {
                closeEpochProgress();
                data.reset();
                graph.incrementEpochCount();
                continue;
            }
            int batchOfEpoch = data.position().batch();
            DataSet batch = data.next();
            ProgressTask epoch = epochProgress(data, batchOfEpoch, batch.numExamples());
            graph.fit(batch);
            double loss = graph.score();
            epoch.stepBy(batch.numExamples());
            long iteration = graph.getIterationCount();
            if (!Double.isFinite(loss)) {
                diverged(iteration, loss);
                continue;
            }
            lossSum += loss;
            lossCount++;
            if (iteration % settings.evalEvery() == 0) {
                evaluate(data, validation);
            }
        }
        closeEpochProgress();
        long bestUpdate = patience.bestIteration();
        if (bestUpdate >= 0 && bestUpdate != graph.getIterationCount()) {
            Path best = store.folder().resolve(String.format("checkpoint-%010d.zip", bestUpdate));
            ComputationGraph saved = SafeModelLoader.standard().restoreComputationGraph(best, false);
            graph.setParams(saved.params());
            LOG.info("restored the best weights, from update {} (validation {} {})", bestUpdate,
                    settings.monitor().name().toLowerCase(Locale.ROOT), fmt(patience.best()));
        }
        RunRecord.Stopping stopping = new RunRecord.Stopping(stopReason, graph.getIterationCount(),
                graph.getEpochCount(), bestUpdate, patience.best(), settings.monitor().name().toLowerCase(Locale.ROOT));
        return new Outcome(graph, List.copyOf(history), guard.events(), stopping, resumedFrom);
    }

    /**
     * The current epoch's progress, started at its first batch (a resumed run starts mid-epoch: it counts only the
     * images left, so rate and time left stay right).
     */
    private ProgressTask epochProgress(TrainingData data, int batchOfEpoch, int batchSize) {
        if (epochProgress == null) {
            long left = Math.max(0, data.numExamples() - (long) batchOfEpoch * batchSize);
            String name = String.format(Locale.ROOT, "epoch %d/%d%s", graph.getEpochCount() + 1, settings.maxEpochs(),
                    batchOfEpoch > 0 ? " (from batch " + batchOfEpoch + ")" : "");
            epochProgress = Progress.start(name, left);
        }
        return epochProgress;
    }

    private void closeEpochProgress() {
        if (epochProgress != null) {
            epochProgress.close();
            epochProgress = null;
        }
    }

    /** Evaluates, or restores the last good state when the training loss since the last evaluation blew up. */
    private void evaluate(TrainingData data, Validation validation) throws IOException {
        long started = System.nanoTime();
        try {
            evaluateAndCheckpoint(data, validation);
        } finally {
            evalNanos += System.nanoTime() - started;
        }
    }

    private void evaluateAndCheckpoint(TrainingData data, Validation validation) throws IOException {
        long iteration = graph.getIterationCount();
        double trainLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
        if (lossCount > 0 && guard.check(iteration, trainLoss) == DivergenceGuard.Action.RESTORE_AND_REDUCE) {
            restoreLastGood(iteration, trainLoss);
            return;
        }
        lossSum = 0;
        lossCount = 0;
        long evalStarted = System.nanoTime();
        ClassificationMetrics.Accumulator val = validation.run(graph);
        double score = settings.monitor() == FitOptions.Monitor.LOSS ? val.meanLoss() : 1 - val.accuracy();
        GrowingPatience.Outcome outcome = patience.observe(iteration, score);
        history.add(new RunRecord.EvaluationPoint(iteration, graph.getEpochCount(), trainLoss, val.meanLoss(),
                val.accuracy(), score, outcome.name().toLowerCase(Locale.ROOT), patience.patience(),
                (System.nanoTime() - startNanos) / 1e9, (evalNanos + System.nanoTime() - evalStarted) / 1e9));
        LOG.info(String.format(Locale.ROOT, "update %d (epoch %d): train loss %s, val loss %s, val acc %.4f, %s%s,"
                        + " patience %d", iteration, graph.getEpochCount(), fmt(trainLoss), fmt(val.meanLoss()),
                val.accuracy(), outcome == GrowingPatience.Outcome.NO_IMPROVEMENT ? "no improvement" : "best",
                outcome == GrowingPatience.Outcome.SIGNIFICANT_IMPROVEMENT ? " (significant)" : "",
                patience.patience()));
        lastEvaluated = iteration;
        if (settings.stopAtAccuracy() != null && val.accuracy() >= settings.stopAtAccuracy()) {
            stopReason = TARGET_REACHED;
            LOG.info(String.format(Locale.ROOT, "target reached at update %d: validation accuracy %.4f >= %s",
                    iteration, val.accuracy(), settings.stopAtAccuracy()));
        } else if (settings.earlyStopping() && patience.shouldStop(iteration)) {
            stopReason = "early-stopping";
            LOG.info("early stopping at update {}: best validation {} {} at update {}", iteration,
                    settings.monitor().name().toLowerCase(Locale.ROOT), fmt(patience.best()), patience.bestIteration());
        }
        checkpoint(data, score);
        lastGood = snapshot();
    }

    private void diverged(long iteration, double loss) {
        if (guard.check(iteration, loss) == DivergenceGuard.Action.RESTORE_AND_REDUCE) {
            restoreLastGood(iteration, loss);
        }
    }

    private void restoreLastGood(long iteration, double loss) {
        LOG.warn("training diverged at update {} (loss {}): back to the weights of update {}, rate x{}", iteration,
                fmt(loss), lastGood.iteration(), fmt(guard.rateFactor()));
        ComputationGraph restored = settings.configure().apply(
                new ScaledSchedule(settings.schedule(), guard.rateFactor()));
        restored.setParams(lastGood.params());
        if (lastGood.updaterState() != null) {
            restored.getUpdater().getStateViewArray().assign(lastGood.updaterState());
        }
        // The counts go on: the schedule keeps its position and checkpoints stay in order.
        restored.getConfiguration().setIterationCount(graph.getIterationCount());
        restored.getConfiguration().setEpochCount(graph.getEpochCount());
        graph = restored;
        lossSum = 0;
        lossCount = 0;
    }

    private Snapshot snapshot() {
        INDArray state = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
        return new Snapshot(graph.params().dup(), state == null ? null : state.dup(), graph.getIterationCount(),
                graph.getEpochCount());
    }

    private void checkpoint(TrainingData data, double score) throws IOException {
        long iteration = graph.getIterationCount();
        TrainerState state = new TrainerState(iteration, history, guard.snapshot(), stopReason);
        Files.createDirectories(store.folder());
        // The trainer's state goes first: a checkpoint (zip + sidecar) then never exists without it.
        AtomicFiles.writeFile(stateFile(iteration), temp -> JSON.writeValue(temp.toFile(), state));
        store.save(graph, new CheckpointState(iteration, graph.getEpochCount(), data.position(),
                CheckpointState.RandomState.capture(), patience.snapshot(), Double.isNaN(score) ? null : score));
        deleteOrphanStates();
        afterCheckpoint.accept(iteration);
    }

    private Path stateFile(long iteration) {
        return store.folder().resolve(String.format("trainer-%010d.json", iteration));
    }

    private TrainerState readState(long iteration) throws IOException {
        Path file = stateFile(iteration);
        if (!Files.exists(file)) {
            throw new IOException(file + " is missing next to its checkpoint: the checkpoint folder "
                    + store.folder() + " was changed by hand; delete it to start over");
        }
        return JSON.readValue(file.toFile(), TrainerState.class);
    }

    private void deleteOrphanStates() throws IOException {
        List<Long> kept = store.list().stream().map(CheckpointState::iteration).toList();
        try (Stream<Path> files = Files.list(store.folder())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.matches("trainer-\\d{10}\\.json") && !kept.contains(Long.parseLong(name.substring(8, 18)))) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
