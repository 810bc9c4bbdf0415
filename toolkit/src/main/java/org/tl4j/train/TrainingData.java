package org.tl4j.train;

import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.data.ImageFolderIterator;

/**
 * The training mini-batches of a run, shuffled per epoch from the run's seed, with a position that a checkpoint
 * stores and a resumed run seeks to: images from disk ({@link #images}) or rows of the featurize cache
 * ({@link #cached}).
 */
interface TrainingData extends AutoCloseable {

    boolean hasNext();

    DataSet next();

    /** Starts the next epoch. */
    void reset();

    ImageFolderIterator.Position position();

    void seek(ImageFolderIterator.Position position);

    int numExamples();

    @Override
    void close();

    static TrainingData images(ImageFolderIterator iterator) {
        return new TrainingData() {
            public boolean hasNext() { return iterator.hasNext(); }
            public DataSet next() { return iterator.next(); }
            public void reset() { iterator.reset(); }
            public ImageFolderIterator.Position position() { return iterator.position(); }
            public void seek(ImageFolderIterator.Position position) { iterator.seek(position); }
            public int numExamples() { return iterator.numExamples(); }
            public void close() { iterator.close(); }
        };
    }

    /** Cached feature rows; the iterator must be fresh (epoch 0, nothing read). */
    static TrainingData cached(CachedFeatureIterator iterator, long seed) {
        return new TrainingData() {
            private int batch;

            public boolean hasNext() { return iterator.hasNext(); }

            public DataSet next() {
                batch++;
                return iterator.next();
            }

            public void reset() {
                iterator.hasNext(); // marks the epoch started, so reset() moves on even after an empty one
                iterator.reset();
                batch = 0;
            }

            public ImageFolderIterator.Position position() {
                return new ImageFolderIterator.Position(iterator.epoch(), batch, seed, true);
            }

            /** Replays the epochs' starts and skips the batches already used: cheap reads from a memory map. */
            public void seek(ImageFolderIterator.Position position) {
                if (position.epoch() < iterator.epoch() || (position.epoch() == iterator.epoch()
                        && position.batch() < batch)) {
                    throw new IllegalStateException("cannot seek a cached-feature iterator backwards");
                }
                while (iterator.epoch() < position.epoch()) {
                    reset();
                }
                while (batch < position.batch()) {
                    next();
                }
            }

            public int numExamples() { return iterator.numExamples(); }

            public void close() { }
        };
    }
}
