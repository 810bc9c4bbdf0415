package org.tl4j.train;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.ImageFolderIterator;

/**
 * A training loop that writes checkpoints as its {@link Checkpoints} policy says and, when the folder already holds
 * one, carries on from the newest usable checkpoint instead of starting over. A run killed at any point and started
 * again with the same arguments ends with the same weights as one never interrupted (on the same machine, CPU
 * back end), because everything the next update depends on is restored: parameters, updater state, iteration and
 * epoch counts, the data order and ND4J's random generator.
 */
public final class CheckpointedTraining {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointedTraining.class);

    /** Called after each update, with the number of updates done; for progress and tests. */
    @FunctionalInterface
    public interface UpdateListener {
        void afterUpdate(long iteration);
    }

    /**
     * What a run did.
     *
     * @param graph       the trained graph
     * @param resumedFrom the checkpoint it carried on from, if any
     * @param updates     updates done by this call (not counting those before the checkpoint)
     * @param checkpoints checkpoints written by this call
     */
    public record Result(ComputationGraph graph, Optional<Checkpoint> resumedFrom, long updates, int checkpoints) {
    }

    private final Checkpoints store;
    private final LongSupplier nanoTime;
    private UpdateListener listener = iteration -> { };
    private ToDoubleFunction<ComputationGraph> validation;

    /** A loop checkpointing into {@code store}, timing its intervals with {@link System#nanoTime()}. */
    public CheckpointedTraining(Checkpoints store) {
        this(store, System::nanoTime);
    }

    /** A loop whose time-based checkpoints follow {@code nanoTime} (a test's fake clock). */
    public CheckpointedTraining(Checkpoints store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
    }

    /** Sets what is called after each update. */
    public CheckpointedTraining listener(UpdateListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Sets the validation score (lower is better) measured at each checkpoint: it ranks checkpoints for "keep the
     * best" and feeds the run's early stopping, which can then end the run before {@code totalUpdates}.
     */
    public CheckpointedTraining validation(ToDoubleFunction<ComputationGraph> score) {
        this.validation = score;
        return this;
    }

    /**
     * Trains until the graph has done {@code totalUpdates} updates, one mini-batch each, resetting {@code data} for
     * a new epoch whenever it runs out, or until early stopping says stop (with a {@link #validation} score).
     * Writes a last checkpoint at the end.
     *
     * @param fresh        builds the initial graph (configured with its updaters) when there is no checkpoint
     * @param data         the training data, with the run's seed and batch size
     * @param patience     the run's early stopping, saved and restored with the checkpoints; null for none
     * @param totalUpdates when to stop
     */
    public Result run(Supplier<ComputationGraph> fresh, ImageFolderIterator data, GrowingPatience patience,
                      long totalUpdates) throws IOException {
        Optional<Checkpoint> resumed = store.latest();
        ComputationGraph graph;
        if (resumed.isPresent()) {
            Checkpoint checkpoint = resumed.get();
            graph = checkpoint.restoreGraph();
            checkpoint.restoreRunState(data, patience);
            LOG.info("resuming from {} at update {} (epoch {}, batch {})", checkpoint.model(),
                    checkpoint.state().iteration(), checkpoint.state().data().epoch(),
                    checkpoint.state().data().batch());
        } else {
            graph = fresh.get();
        }
        long updates = 0;
        int written = 0;
        long sinceCheckpoint = 0;
        long lastCheckpointTime = nanoTime.getAsLong();
        // A run that early stopping ended stays ended when started again.
        boolean stopped = resumed.isPresent() && patience != null && resumed.get().state().score() != null
                && patience.shouldStop(graph.getIterationCount());
        while (graph.getIterationCount() < totalUpdates && !stopped) {
            if (!data.hasNext()) {
                data.reset();
                graph.incrementEpochCount();
                continue;
            }
            graph.fit(data.next());
            updates++;
            sinceCheckpoint++;
            listener.afterUpdate(graph.getIterationCount());
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - lastCheckpointTime);
            if (graph.getIterationCount() < totalUpdates && store.policy().due(sinceCheckpoint, elapsed)) {
                Double score = validate(graph, patience);
                stopped = patience != null && score != null && patience.shouldStop(graph.getIterationCount());
                store.save(graph, Checkpoints.capture(graph, data, patience, score));
                written++;
                sinceCheckpoint = 0;
                lastCheckpointTime = nanoTime.getAsLong();
            }
        }
        if (updates > 0 && sinceCheckpoint > 0) {
            store.save(graph, Checkpoints.capture(graph, data, patience, validate(graph, patience)));
            written++;
        }
        if (stopped) {
            LOG.info("early stopping at update {}: best score {} at update {}", graph.getIterationCount(),
                    patience.best(), patience.bestIteration());
        }
        return new Result(graph, resumed, updates, written);
    }

    /** The validation score, observed by early stopping; null without a validation. */
    private Double validate(ComputationGraph graph, GrowingPatience patience) {
        if (validation == null) {
            return null;
        }
        double score = validation.applyAsDouble(graph);
        if (patience != null) {
            patience.observe(graph.getIterationCount(), score);
        }
        return score;
    }
}
