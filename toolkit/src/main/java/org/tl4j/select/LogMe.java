package org.tl4j.select;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LogME (You, Liu, Wang, Long: "LogME: Practical Assessment of Pre-trained Models for Transfer Learning",
 * ICML 2021): the log marginal evidence of a Bayesian linear regression from codes F (n x D) to each class's
 * one-hot indicator, maximised over the prior precision alpha and the noise precision beta, divided by n and
 * averaged over classes. Higher is better; values lie roughly in [-1, 1] for standardised-scale codes.
 *
 * <p>Per class, with the SVD F = U S V^T (thin, r = min(n, D) singular values) and sigma_i = s_i^2, the paper's fixed point is iterated:
 * gamma = sum beta sigma_i / (alpha + beta sigma_i), m = beta (alpha I + beta F^T F)^-1 F^T y,
 * alpha = gamma / m^T m, beta = (n - gamma) / |F m - y|^2. The evidence is then
 * n/2 log beta + D/2 log alpha - n/2 log 2 pi - beta/2 |F m - y|^2 - alpha/2 m^T m
 * - 1/2 sum_{i<=D} log(alpha + beta sigma_i), where the D - r zero eigenvalues contribute log alpha each.
 * Unlike the reference code (11 iterations, 1% tolerance) the iteration runs to a tight tolerance, so the value
 * is the fixed point itself and does not depend on where the loop stopped.
 */
public final class LogMe {

    private static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-10;

    private LogMe() {
    }

    /** LogME of the codes: mean over classes of the maximised evidence per image. */
    public static double score(LabelledCodes codes) {
        INDArray f = codes.features();
        int n = codes.size();
        long d = codes.dimensions();
        // The SVD of F through the symmetric eigen-decomposition of the smaller Gram matrix (F F^T = U S^2 U^T or
        // F^T F = V S^2 V^T, LAPACK syev): libnd4j's own svd op fails on thin matrices in 1.0.0-M2.1 ("lengths of
        // arrays are mismatched"), and the Gram of the smaller side keeps the cost at min(n, D)^3.
        boolean wide = n <= d;
        INDArray gram = wide ? f.mmul(f.transpose()) : f.transpose().mmul(f);
        INDArray sigma = Eigen.symmetricGeneralizedEigenvalues(gram, true); // gram now holds the eigenvectors
        int r = (int) sigma.length();
        double[] sig = new double[r];
        for (int i = 0; i < r; i++) {
            sig[i] = Math.max(sigma.getDouble(i), 0);
        }
        double sum = 0;
        int[] labels = codes.labels();
        for (int k = 0; k < codes.classes(); k++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels[i] == k ? 1 : 0;
            }
            INDArray yv = Nd4j.createFromArray(y).reshape(n, 1);
            double[] w;
            if (wide) {
                // V^T F^T y = S U^T y
                w = gram.transpose().mmul(yv).data().asDouble();
                for (int i = 0; i < r; i++) {
                    w[i] *= Math.sqrt(sig[i]);
                }
            } else {
                w = gram.transpose().mmul(f.transpose().mmul(yv)).data().asDouble();
            }
            sum += evidence(sig, w, k, n, d, labels);
        }
        return sum / codes.classes();
    }

    /**
     * Evidence per image for one target y (the indicator of class k), from the non-zero-or-zero eigenvalues sigma
     * of F^T F that the decomposition found and w = V^T F^T y in the same basis. With z = V^T m,
     * z_i = beta w_i / (alpha + beta sigma_i), m^T m = |z|^2 (m has no part outside the span of V) and
     * |F m - y|^2 = |y|^2 - 2 z.w + sum sigma_i z_i^2.
     */
    static double evidence(double[] sigma, double[] w, int k, int n, long d, int[] labels) {
        int r = sigma.length;
        double yy = 0;
        for (int label : labels) {
            yy += label == k ? 1 : 0;
        }
        double alpha = 1;
        double beta = 1;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double gamma = 0;
            for (int i = 0; i < r; i++) {
                gamma += beta * sigma[i] / (alpha + beta * sigma[i]);
            }
            double[] fit = fit(sigma, w, alpha, beta, yy);
            double newAlpha = gamma / fit[0];
            double newBeta = (n - gamma) / fit[1];
            if (!Double.isFinite(newAlpha) || !Double.isFinite(newBeta) || newAlpha <= 0 || newBeta <= 0) {
                // A perfect or empty fit (m = 0 or zero residual) makes the evidence unbounded: keep the last
                // finite pair rather than return NaN.
                break;
            }
            boolean done = Math.abs(newAlpha / newBeta - alpha / beta) <= TOLERANCE * (alpha / beta);
            alpha = newAlpha;
            beta = newBeta;
            if (done) {
                break;
            }
        }
        double[] fit = fit(sigma, w, alpha, beta, yy);
        double logDet = (d - r) * Math.log(alpha);
        for (int i = 0; i < r; i++) {
            logDet += Math.log(alpha + beta * sigma[i]);
        }
        double evidence = n / 2.0 * Math.log(beta) + d / 2.0 * Math.log(alpha) - n / 2.0 * Math.log(2 * Math.PI)
                - beta / 2 * fit[1] - alpha / 2 * fit[0] - logDet / 2;
        return evidence / n;
    }

    /**
     * {m^T m, |F m - y|^2} for the posterior mean m at alpha, beta. The residual is summed from non-negative parts,
     * |y|^2 - sum w_i^2 / sigma_i (what lies outside the codes' span) plus, per direction,
     * (w_i^2 / sigma_i) (alpha / (alpha + beta sigma_i))^2, instead of |y|^2 - 2 z.w + sum sigma_i z_i^2: with fewer
     * images than dimensions the codes fit y almost exactly, that expansion cancels to rounding noise, and the
     * noise (different on each engine) sent beta, and the evidence, to around 1e276.
     */
    private static double[] fit(double[] sigma, double[] w, double alpha, double beta, double yy) {
        double largest = 0;
        for (double s : sigma) {
            largest = Math.max(largest, s);
        }
        double mm = 0;
        double explained = 0;
        double inside = 0;
        for (int i = 0; i < sigma.length; i++) {
            double z = beta * w[i] / (alpha + beta * sigma[i]);
            mm += z * z;
            if (sigma[i] > 1e-12 * largest) {
                double projected = w[i] * w[i] / sigma[i];
                double shrink = alpha / (alpha + beta * sigma[i]);
                explained += projected;
                inside += projected * shrink * shrink;
            }
        }
        return new double[] {mm, Math.max(Math.max(yy - explained, 0) + inside, 1e-300)};
    }
}
