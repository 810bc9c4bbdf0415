package org.tl4j.svm;

import java.util.Arrays;
import org.tl4j.codes.Codes;

/**
 * Per-column standardisation {@code (x - mean) / std}, fitted on the training codes only and then applied
 * unchanged to validation, test and new images. A constant column (std 0) is only centred.
 */
public final class Standardizer {

    private final float[] mean;
    private final float[] std;

    /** A scaler with these statistics (e.g. read from a model bundle). */
    public Standardizer(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " deviations");
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("standard deviations must be positive and finite, got " + s);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Mean and (population) standard deviation of each column of {@code train}. */
    public static Standardizer fit(Codes train) {
        int d = train.dim();
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        for (int i = 0; i < train.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double x = train.get(i, j);
                sum[j] += x;
                sumSq[j] += x * x;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        int n = Math.max(1, train.rows());
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            double var = Math.max(0, sumSq[j] / n - m * m);
            mean[j] = (float) m;
            double s = Math.sqrt(var);
            // A constant (or nearly constant) column carries no information; dividing by ~0 would blow up noise.
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** Number of columns. */
    public int dim() {
        return mean.length;
    }

    /** Column means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Column standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** Row {@code i} of {@code codes}, standardised. */
    public double[] apply(Codes codes, int i) {
        if (codes.dim() != mean.length) {
            throw new IllegalArgumentException("codes have " + codes.dim() + " columns, the scaler " + mean.length);
        }
        double[] out = new double[mean.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (codes.get(i, j) - mean[j]) / std[j];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }
}
