package org.tl4j.select;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CNN codes of a labelled set of images at one tap: an n x D matrix (one row per image) and each row's class
 * index. The metrics of this package read nothing else, so they work on codes from any source (the codes API,
 * the featurize cache, a test's synthetic matrix).
 *
 * @param features n x D codes, held in double precision (the metrics solve small eigen-problems on them)
 * @param labels   class index of each row, in [0, classes)
 * @param classes  number of classes of the target task (some may have no rows)
 */
public record LabelledCodes(INDArray features, int[] labels, int classes) {

    public LabelledCodes {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("codes must be an n x D matrix, got shape "
                    + Arrays.toString(features.shape()));
        }
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException("codes have " + features.rows() + " rows but " + labels.length
                    + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a task needs at least 2 classes, got " + classes);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
            }
        }
        features = features.dataType() == DataType.DOUBLE ? features : features.castTo(DataType.DOUBLE);
        labels = labels.clone();
    }

    /** Codes from a plain matrix (rows = images). */
    public static LabelledCodes of(double[][] features, int[] labels, int classes) {
        return new LabelledCodes(Nd4j.createFromArray(features), labels, classes);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Code length D. */
    public long dimensions() {
        return features.columns();
    }

    /** Label of row i. */
    public int label(int i) {
        return labels[i];
    }

    /** Rows per class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The same codes with other labels (for tests of the random-label limit). */
    public LabelledCodes withLabels(int[] otherLabels) {
        return new LabelledCodes(features, otherLabels, classes);
    }
}
