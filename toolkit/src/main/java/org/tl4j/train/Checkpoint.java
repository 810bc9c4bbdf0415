package org.tl4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.zoo.safety.SafeModelLoader;

/**
 * One checkpoint on disk that passed its checks: the model file (DL4J's zip with the updater state) and its
 * sidecar's {@link CheckpointState}.
 *
 * @param model   the model zip
 * @param sidecar the JSON sidecar describing it
 * @param state   what the sidecar holds
 */
public record Checkpoint(Path model, Path sidecar, CheckpointState state) {

    /**
     * The model as saved: configuration (with iteration and epoch counts, which drive the schedules), parameters
     * and updater state (momentum), so the next update is the one the interrupted run would have made. Read
     * through {@link SafeModelLoader}: a damaged or crafted checkpoint fails with a clear message.
     */
    public ComputationGraph restoreGraph() throws IOException {
        ComputationGraph graph = SafeModelLoader.standard().restoreComputationGraph(model, true);
        if (graph.getIterationCount() != state.iteration() || graph.getEpochCount() != state.epoch()) {
            throw new IOException(model + " holds iteration " + graph.getIterationCount() + ", epoch "
                    + graph.getEpochCount() + " but its sidecar " + sidecar + " says " + state.iteration() + ", "
                    + state.epoch() + ": the files do not belong together; delete this checkpoint");
        }
        return graph;
    }

    /**
     * Puts everything outside the model back: the data order ({@code data} must have the run's seed and batch
     * size), the current thread's ND4J random generator (ND4J keeps one per thread: call this on the thread that
     * trains), and the early-stopping state when there is one.
     *
     * @param patience the run's early stopping, or null when it has none
     */
    public void restoreRunState(ImageFolderIterator data, GrowingPatience patience) {
        data.seek(state.data());
        state.random().restore();
        if (patience != null && state.earlyStopping() != null) {
            patience.restore(state.earlyStopping());
        }
    }
}
