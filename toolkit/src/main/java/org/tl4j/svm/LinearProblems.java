package org.tl4j.svm;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Problem;
import org.tl4j.codes.Codes;

/** Turns standardised codes into LIBLINEAR's sparse rows, with the bias column LIBLINEAR expects the caller to add. */
final class LinearProblems {

    /** Value of the constant bias feature (LIBLINEAR's {@code -B 1}). */
    static final double BIAS = 1.0;

    private LinearProblems() {
    }

    /** One row: D standardised values (1-based indices), then the bias at index D + 1. */
    static Feature[] row(Standardizer scaler, Codes codes, int i) {
        double[] x = scaler.apply(codes, i);
        Feature[] row = new Feature[x.length + 1];
        for (int j = 0; j < x.length; j++) {
            row[j] = new FeatureNode(j + 1, x[j]);
        }
        row[x.length] = new FeatureNode(x.length + 1, BIAS);
        return row;
    }

    /** A problem from codes whose labels are already class indices of the model. */
    static Problem problem(Standardizer scaler, Codes codes, int[] labels) {
        Problem p = new Problem();
        p.l = codes.rows();
        p.n = codes.dim() + 1;
        p.bias = BIAS;
        p.x = new Feature[p.l][];
        p.y = new double[p.l];
        for (int i = 0; i < p.l; i++) {
            p.x[i] = row(scaler, codes, i);
            p.y[i] = labels[i];
        }
        return p;
    }
}
