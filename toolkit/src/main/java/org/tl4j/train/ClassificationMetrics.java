package org.tl4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What a model scored on one split, as written to {@code RUN/metrics.json} and printed by {@code ./tl4j eval}.
 * Computed by hand from the predicted probabilities (a few lines) rather than with DL4J's Evaluation so that the
 * definitions are the ones documented here: precision of a class never predicted is 0, and so is its F1.
 *
 * @param split      which split was evaluated ({@code test} for a run's metrics)
 * @param images     number of images
 * @param accuracy   share of images whose most probable class is their label
 * @param topK       the k of {@link #topKAccuracy}: 5, or the number of classes when fewer
 * @param topKAccuracy share of images whose label is among the k most probable classes
 * @param meanLoss   mean negative log-likelihood of the labels
 * @param classNames class names, in output order
 * @param perClass   precision, recall, F1 and support of each class, in output order
 * @param confusion  confusion[actual][predicted] image counts
 */
public record ClassificationMetrics(String split, int images, double accuracy, int topK, double topKAccuracy,
                                    double meanLoss, List<String> classNames, List<ClassScores> perClass,
                                    int[][] confusion) {

    /**
     * One class's scores.
     *
     * @param name      class name
     * @param precision correct predictions of this class / predictions of it (0 when never predicted)
     * @param recall    correct predictions of this class / its images (0 when it has none)
     * @param f1        harmonic mean of precision and recall (0 when both are 0)
     * @param support   its images
     */
    public record ClassScores(String name, double precision, double recall, double f1, int support) {
    }

    public ClassificationMetrics {
        classNames = List.copyOf(classNames);
        perClass = List.copyOf(perClass);
    }

    /** Accumulates predictions batch by batch. */
    public static final class Accumulator {
        private final List<String> classNames;
        private final int topK;
        private final int[][] confusion;
        private int images;
        private int inTopK;
        private double lossSum;

        public Accumulator(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            this.topK = Math.min(5, classNames.size());
            this.confusion = new int[classNames.size()][classNames.size()];
        }

        /** Adds a batch: probabilities [n, classes] and one-hot labels [n, classes]. */
        public void add(INDArray probabilities, INDArray oneHotLabels) {
            int classes = classNames.size();
            if (probabilities.size(1) != classes || oneHotLabels.size(1) != classes) {
                throw new IllegalArgumentException("expected " + classes + " classes, got probabilities "
                        + java.util.Arrays.toString(probabilities.shape()) + " and labels "
                        + java.util.Arrays.toString(oneHotLabels.shape()));
            }
            float[][] p = probabilities.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
            long[] labels = oneHotLabels.argMax(1).toLongVector();
            for (int i = 0; i < p.length; i++) {
                int label = (int) labels[i];
                int predicted = 0;
                int higher = 0;
                for (int c = 0; c < classes; c++) {
                    if (p[i][c] > p[i][predicted]) {
                        predicted = c;
                    }
                    if (p[i][c] > p[i][label]) {
                        higher++;
                    }
                }
                confusion[label][predicted]++;
                if (higher < topK) {
                    inTopK++;
                }
                lossSum -= Math.log(Math.max(p[i][label], 1e-12));
                images++;
            }
        }

        /** Mean negative log-likelihood so far (NaN before any image). */
        public double meanLoss() {
            return images == 0 ? Double.NaN : lossSum / images;
        }

        /** Accuracy so far (NaN before any image). */
        public double accuracy() {
            if (images == 0) {
                return Double.NaN;
            }
            int correct = 0;
            for (int c = 0; c < confusion.length; c++) {
                correct += confusion[c][c];
            }
            return (double) correct / images;
        }

        public ClassificationMetrics result(String split) {
            List<ClassScores> scores = new ArrayList<>();
            int classes = classNames.size();
            for (int c = 0; c < classes; c++) {
                int tp = confusion[c][c];
                int support = 0;
                int predicted = 0;
                for (int o = 0; o < classes; o++) {
                    support += confusion[c][o];
                    predicted += confusion[o][c];
                }
                double precision = predicted == 0 ? 0 : (double) tp / predicted;
                double recall = support == 0 ? 0 : (double) tp / support;
                double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                scores.add(new ClassScores(classNames.get(c), precision, recall, f1, support));
            }
            int[][] copy = new int[classes][];
            for (int c = 0; c < classes; c++) {
                copy[c] = confusion[c].clone();
            }
            return new ClassificationMetrics(split, images, accuracy(), topK,
                    images == 0 ? Double.NaN : (double) inTopK / images, meanLoss(), classNames, scores, copy);
        }
    }

    /**
     * Runs {@code graph} (inference mode) over every batch of {@code data} once.
     *
     * @param classNames the graph's output classes, in order (the iterator's one-hot labels must use the same order)
     */
    public static ClassificationMetrics evaluate(ComputationGraph graph, DataSetIterator data, List<String> classNames,
                                                 String split) {
        Objects.requireNonNull(graph, "graph");
        Accumulator accumulator = new Accumulator(classNames);
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray output = graph.outputSingle(false, batch.getFeatures());
            accumulator.add(output, batch.getLabels());
        }
        return accumulator.result(split);
    }
}
