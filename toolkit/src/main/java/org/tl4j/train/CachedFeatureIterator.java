package org.tl4j.train;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.tl4j.data.EpochOrder;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of cached features ([n, d] float, one-hot labels) from a {@link FeatureFile}, for training a head
 * for many epochs without running the trunk again. Each epoch visits every row once, in an order shuffled from
 * the seed and the epoch number (or in file order when not shuffling); {@link #reset()} starts the next epoch.
 * The last batch of an epoch may be smaller.
 */
public final class CachedFeatureIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final transient FeatureFile features;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final List<String> labelNames;
    private DataSetPreProcessor preProcessor;
    private int[] order;
    private int position;
    private int epoch;
    private boolean started;

    /**
     * @param features   the cache file (stays open while iterating)
     * @param batchSize  rows per batch
     * @param seed       seed of the per-epoch shuffles
     * @param shuffle    whether to shuffle each epoch
     * @param labelNames class names for the DataSets (may be null)
     */
    public CachedFeatureIterator(FeatureFile features, int batchSize, long seed, boolean shuffle,
                                 List<String> labelNames) {
        this.features = Objects.requireNonNull(features, "features");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.labelNames = labelNames == null ? null : List.copyOf(labelNames);
        this.order = order(0);
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** Rows per epoch. */
    public int numExamples() {
        return features.rows();
    }

    /** The order in which an epoch visits the rows: a permutation, the same for the same seed and epoch. */
    int[] order(int epochNumber) {
        return EpochOrder.of(features.rows(), seed, epochNumber, shuffle);
    }

    @Override
    public boolean hasNext() {
        started = true;
        return position < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over: call reset() for the next one");
        }
        int size = Math.min(num, order.length - position);
        int d = features.featureLength();
        int classes = features.classes();
        float[] x = new float[size * d];
        float[] y = new float[size * classes];
        for (int i = 0; i < size; i++) {
            int row = order[position + i];
            features.readRow(row, x, i * d);
            y[i * classes + features.label(row)] = 1f;
        }
        position += size;
        INDArray xs = Nd4j.create(x, new long[] {size, d}, 'c');
        INDArray ys = Nd4j.create(y, new long[] {size, classes}, 'c');
        DataSet ds = new DataSet(xs, ys);
        if (labelNames != null) {
            ds.setLabelNames(labelNames);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return features.featureLength();
    }

    @Override
    public int totalOutcomes() {
        return features.classes();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: batches are cheap copies from a memory map, and epochs must start exactly at {@link #reset()}. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts the next epoch (a new shuffle); a no-op before the current epoch has started. */
    @Override
    public void reset() {
        if (!started) {
            return;
        }
        epoch++;
        order = order(epoch);
        position = 0;
        started = false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labelNames;
    }
}
