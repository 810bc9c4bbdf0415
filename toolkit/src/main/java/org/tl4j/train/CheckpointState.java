package org.tl4j.train;

import org.tl4j.data.ImageFolderIterator;

/**
 * Everything besides the model and its updater that a run needs to carry on exactly where a checkpoint was
 * taken; stored as the checkpoint's JSON sidecar together with the model file's size and SHA-256.
 *
 * @param iteration    updates done (DL4J's iteration count, which drives the learning-rate schedule)
 * @param epoch        epochs completed (DL4J's epoch count)
 * @param data         the training data's position: epoch, batch within it, shuffle seed
 * @param random       ND4J's random generator of the training thread
 * @param earlyStopping the early-stopping state, null when the run has none
 * @param score        a validation score (lower is better) that ranks this checkpoint for "keep the best",
 *                     null when none was measured
 */
public record CheckpointState(long iteration, int epoch, ImageFolderIterator.Position data, RandomState random,
                              GrowingPatience.Snapshot earlyStopping, Double score) {

    /**
     * ND4J's generator state: seed and the two counters of its native generator, enough to continue its stream
     * (dropout masks, random augmentations) where it stood.
     */
    public record RandomState(long seed, long rootState, long nodeState) {

        /** The current thread's ND4J generator. */
        public static RandomState capture() {
            org.nd4j.linalg.api.rng.Random random = org.nd4j.linalg.factory.Nd4j.getRandom();
            return new RandomState(random.getSeed(), random.rootState(), random.nodeState());
        }

        /** Puts the current thread's ND4J generator back to this state. */
        public void restore() {
            org.nd4j.linalg.api.rng.Random random = org.nd4j.linalg.factory.Nd4j.getRandom();
            random.setSeed(seed);
            random.setStates(rootState, nodeState);
        }
    }

    public CheckpointState {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0, got " + iteration + ", " + epoch);
        }
        java.util.Objects.requireNonNull(data, "data");
        java.util.Objects.requireNonNull(random, "random");
    }
}
