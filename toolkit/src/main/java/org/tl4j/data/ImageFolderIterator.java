package org.tl4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Streams images from disk as DL4J mini-batches: NCHW float features prepared as an {@link InputSpec} says, and
 * one-hot labels. A background thread decodes the next batches (on a small pool of decoding threads) into a
 * bounded queue, so memory holds a few batches whatever the size of the data set. Each epoch is shuffled with a
 * seed derived from the iterator's seed and the epoch number; {@link #reset()} starts the next epoch. The last
 * batch of an epoch may be smaller. Call {@link #close()} when done to stop the threads. {@link #position()} and
 * {@link #seek} save and restore where the iterator stands, so a resumed run sees the batches an uninterrupted one
 * would have.
 */
public final class ImageFolderIterator implements DataSetIterator, AutoCloseable {

    private static final long serialVersionUID = 1L;
    /** Batches decoded ahead of the consumer. */
    private static final int PREFETCH_BATCHES = 2;
    private static final Object END = new Object();
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private record Item(Path file, int label) {
    }

    private record Batch(float[] features, float[] labels, int size) {
    }

    private record Failure(RuntimeException error) {
    }

    /**
     * Where an iterator stands in its data order, enough to carry on from there in a new process: the epoch, the
     * batches of that epoch already handed out, and the shuffle's seed. The shuffle's random state needs no more:
     * each epoch's order is drawn by a fresh {@link Random} seeded from {@code shuffleSeed} and the epoch number.
     *
     * @param epoch       the epoch, from 0
     * @param batch       batches of that epoch already returned by {@link #next()}
     * @param shuffleSeed the iterator's seed ({@code 0} and unused for an in-order iterator)
     * @param shuffled    whether epochs are shuffled
     */
    public record Position(int epoch, int batch, long shuffleSeed, boolean shuffled) {
        public Position {
            if (epoch < 0 || batch < 0) {
                throw new IllegalArgumentException("epoch and batch must be >= 0, got " + epoch + ", " + batch);
            }
        }
    }

    private final List<Item> items;
    private final List<String> labels;
    private final ImagePreprocessor preprocessor;
    private final ImageDecoder decoder = new ImageDecoder();
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final transient ExecutorService workers;
    private transient Producer producer;
    private transient Object peeked;
    private DataSetPreProcessor dataSetPreProcessor;
    private int epoch;
    /** Batches of the current epoch already returned (where the next producer starts after a seek). */
    private int batchIndex;

    /**
     * A shuffling iterator.
     *
     * @param root      folder the entries' paths are relative to ({@link Manifest#root()})
     * @param entries   the images (usually one split's {@link Splits#entries})
     * @param labels    class names; an entry's label index here is its one-hot position
     * @param spec      how the model wants its input
     * @param batchSize images per batch
     * @param seed      seed of the per-epoch shuffles
     */
    public ImageFolderIterator(Path root, List<Manifest.Entry> entries, List<String> labels, InputSpec spec,
                               int batchSize, long seed) {
        this(root, entries, labels, spec, batchSize, seed, true, Runtime.getRuntime().availableProcessors());
    }

    /** An iterator over a split of a manifest, labels in the manifest's class order, shuffled per epoch. */
    public static ImageFolderIterator of(Manifest manifest, List<Manifest.Entry> entries, InputSpec spec,
                                         int batchSize, long seed) {
        return new ImageFolderIterator(manifest.root(), entries, manifest.classes(), spec, batchSize, seed);
    }

    /** An iterator that keeps the entries' order every epoch (for evaluation and feature extraction). */
    public static ImageFolderIterator inOrder(Manifest manifest, List<Manifest.Entry> entries, InputSpec spec,
                                              int batchSize) {
        return new ImageFolderIterator(manifest.root(), entries, manifest.classes(), spec, batchSize, 0, false,
                Runtime.getRuntime().availableProcessors());
    }

    private ImageFolderIterator(Path root, List<Manifest.Entry> entries, List<String> labels, InputSpec spec,
                                int batchSize, long seed, boolean shuffle, int threads) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(spec, "spec");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.labels = List.copyOf(labels);
        this.items = new ArrayList<>(entries.size());
        for (Manifest.Entry e : entries) {
            int label = this.labels.indexOf(e.label());
            if (label < 0) {
                throw new IllegalArgumentException("entry " + e.path() + " has label '" + e.label()
                        + "', not one of " + this.labels);
            }
            if (!e.ok()) {
                throw new IllegalArgumentException("entry " + e.path() + " was rejected (" + e.reason()
                        + "): pass only usable entries");
            }
            items.add(new Item(root.resolve(e.path()), label));
        }
        this.preprocessor = new ImagePreprocessor(spec);
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        int pool = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "tl4j-decode-" + pool + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of images in one epoch. */
    public int numExamples() {
        return items.size();
    }

    /** The current epoch, from 0; {@link #reset()} after a started epoch adds one. */
    public int epoch() {
        return epoch;
    }

    @Override
    public boolean hasNext() {
        if (producer == null) {
            producer = new Producer(epoch, batchIndex);
            producer.start();
        }
        if (peeked == null) {
            try {
                peeked = producer.queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        if (peeked instanceof Failure failure) {
            throw failure.error();
        }
        return peeked != END;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over: call reset() for the next one");
        }
        Batch batch = (Batch) peeked;
        peeked = null;
        batchIndex++;
        long[] shape = {batch.size(), preprocessor.spec().channels(), preprocessor.spec().height(),
                preprocessor.spec().width()};
        INDArray features = Nd4j.create(batch.features(), shape, 'c');
        INDArray oneHot = Nd4j.create(batch.labels(), new long[] {batch.size(), labels.size()}, 'c');
        DataSet dataSet = new DataSet(features, oneHot);
        dataSet.setLabelNames(labels);
        if (dataSetPreProcessor != null) {
            dataSetPreProcessor.preProcess(dataSet);
        }
        return dataSet;
    }

    /** Only the batch size given at construction is supported: batches are prepared ahead of time. */
    @Override
    public DataSet next(int num) {
        if (num != batchSize) {
            throw new UnsupportedOperationException("this iterator prepares batches of " + batchSize
                    + " ahead of time; asked for " + num);
        }
        return next();
    }

    @Override
    public int inputColumns() {
        return preprocessor.imageLength();
    }

    @Override
    public int totalOutcomes() {
        return labels.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: this iterator already prefetches; DL4J must not wrap it in another prefetching thread. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts the next epoch (a new shuffle); a no-op before the current epoch has started. */
    @Override
    public void reset() {
        if (producer == null) {
            return;
        }
        stopProducer();
        epoch++;
        batchIndex = 0;
    }

    /** Where this iterator stands: the next {@link #next()} returns batch {@code position().batch()} of its epoch. */
    public Position position() {
        return new Position(epoch, batchIndex, seed, shuffle);
    }

    /**
     * Moves to a position saved by {@link #position()} (possibly by another process), so that the next batch is
     * the one that would have come next there. Skipped batches are not decoded.
     *
     * @throws IllegalArgumentException when the position was saved by an iterator with another seed or shuffling,
     *                                  or lies past the end of an epoch of this data
     */
    public void seek(Position position) {
        if (position.shuffled() != shuffle || (shuffle && position.shuffleSeed() != seed)) {
            throw new IllegalArgumentException("the saved data position was made with " + describe(position.shuffled(),
                    position.shuffleSeed()) + " but this iterator has " + describe(shuffle, seed)
                    + ": resume with the run's original seed");
        }
        int batches = (items.size() + batchSize - 1) / batchSize;
        if (position.batch() > batches) {
            throw new IllegalArgumentException("the saved data position is batch " + position.batch() + " of epoch "
                    + position.epoch() + ", but an epoch here has only " + batches + " batches of " + batchSize
                    + ": resume with the same data and batch size");
        }
        stopProducer();
        epoch = position.epoch();
        batchIndex = position.batch();
    }

    private static String describe(boolean shuffled, long seed) {
        return shuffled ? "shuffle seed " + seed : "no shuffling";
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.dataSetPreProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return dataSetPreProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }

    /** Stops the prefetching and decoding threads. */
    @Override
    public void close() {
        stopProducer();
        workers.shutdownNow();
    }

    private void stopProducer() {
        if (producer != null) {
            producer.cancel();
            producer = null;
        }
        peeked = null;
    }

    /** The order in which an epoch visits the items. */
    int[] order(int epochNumber) {
        return EpochOrder.of(items.size(), seed, epochNumber, shuffle);
    }

    /** Decodes one epoch's batches into the bounded queue, then END (or a Failure). */
    private final class Producer extends Thread {
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH_BATCHES);
        private final int[] order;
        private volatile boolean cancelled;

        private final int firstBatch;

        Producer(int epochNumber, int firstBatch) {
            super("tl4j-prefetch");
            setDaemon(true);
            this.order = order(epochNumber);
            this.firstBatch = firstBatch;
        }

        @Override
        public void run() {
            try {
                int imageLength = preprocessor.imageLength();
                int classes = labels.size();
                for (int start = firstBatch * batchSize; start < order.length && !cancelled; start += batchSize) {
                    int size = Math.min(batchSize, order.length - start);
                    float[] features = new float[size * imageLength];
                    float[] oneHot = new float[size * classes];
                    List<Future<?>> pending = new ArrayList<>(size);
                    for (int j = 0; j < size; j++) {
                        Item item = items.get(order[start + j]);
                        int offset = j * imageLength;
                        oneHot[j * classes + item.label()] = 1f;
                        pending.add(workers.submit(() -> load(item, features, offset)));
                    }
                    for (Future<?> f : pending) {
                        f.get();
                    }
                    queue.put(new Batch(features, oneHot, size));
                }
                if (!cancelled) {
                    queue.put(END);
                }
            } catch (InterruptedException e) {
                // cancelled by reset() or close()
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                RuntimeException error = cause instanceof RuntimeException re ? re
                        : new IllegalStateException("decoding failed: " + cause, cause);
                offerFailure(error);
            } catch (RuntimeException e) {
                offerFailure(e);
            }
        }

        private void offerFailure(RuntimeException error) {
            try {
                queue.put(new Failure(error));
            } catch (InterruptedException ignored) {
                // cancelled: nobody is waiting for the failure
            }
        }

        void cancel() {
            cancelled = true;
            interrupt();
            queue.clear();
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void load(Item item, float[] features, int offset) {
        DecodedImage image;
        try {
            image = decoder.decode(item.file());
        } catch (ImageRejectedException e) {
            throw new InvalidInputException(item.file() + " could not be decoded (" + e.getMessage()
                    + ") although the scan accepted it: the file changed since the scan; rescan the data", e);
        }
        preprocessor.writeChw(image, features, offset);
    }
}
