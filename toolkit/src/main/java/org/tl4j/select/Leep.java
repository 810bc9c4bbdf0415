package org.tl4j.select;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LEEP (Nguyen, Hassner, Seeger, Archambeau: "LEEP: A New Measure to Evaluate Transferability of Learned
 * Representations", ICML 2020), for an adapter that still has its source classifier: with theta(x) the source
 * model's softmax over its Z source classes on target image x, the empirical joint P(y, z) = (1/n) sum over images
 * of class y of theta(x)_z, the conditional P(y | z) = P(y, z) / P(z), and
 * LEEP = (1/n) sum_i log sum_z P(y_i | z) theta(x_i)_z. It is at most 0; closer to 0 is better, and labels the
 * source predictions say nothing about give about -H(Y) (log K for balanced classes).
 */
public final class Leep {

    private Leep() {
    }

    /**
     * @param sourceProbabilities n x Z softmax outputs of the source classifier on the target images (rows sum to 1)
     * @param labels              target class of each image
     * @param classes             number of target classes
     */
    public static double score(INDArray sourceProbabilities, int[] labels, int classes) {
        if (sourceProbabilities.rank() != 2 || sourceProbabilities.rows() != labels.length) {
            throw new IllegalArgumentException("LEEP needs one row of source probabilities per label: got shape "
                    + Arrays.toString(sourceProbabilities.shape()) + " for " + labels.length + " labels");
        }
        double[][] theta = sourceProbabilities.toDoubleMatrix();
        int n = labels.length;
        int z = theta[0].length;
        double[][] joint = new double[classes][z];
        double[] marginal = new double[z];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " is outside [0, " + classes + ")");
            }
            for (int j = 0; j < z; j++) {
                joint[labels[i]][j] += theta[i][j] / n;
                marginal[j] += theta[i][j] / n;
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double eep = 0;
            for (int j = 0; j < z; j++) {
                if (marginal[j] > 0) {
                    eep += joint[labels[i]][j] / marginal[j] * theta[i][j];
                }
            }
            sum += Math.log(eep);
        }
        return sum / n;
    }
}
