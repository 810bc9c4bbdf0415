package org.tl4j.select;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.eigen.Eigen;

/**
 * H-score (Bao, Li, Huang, Zheng, Song, Pan: "An Information-Theoretic Approach to Transferability in Task
 * Transfer Learning", ICIP 2019): tr(cov(f)^-1 cov(E[f | y])), the share of the codes' variance, in whitened
 * coordinates, that the class means explain. Higher is better; it is at most about K - 1 for K classes.
 *
 * <p>Stability: cov(f) is singular whenever n <= D (ten images per class and 512 channels), and its plain inverse
 * then blows up on noise directions. It is therefore shrunk towards a scaled identity with the Ledoit-Wolf
 * intensity, (1 - s) S + s (tr S / D) I with s = min(b^2, d^2) / d^2 (Ledoit and Wolf 2004), as in the
 * "regularised H-score" of Ibrahim, Ponomareva and Mazumder (2022). The shrinkage is used rather than a
 * pseudo-inverse because the pseudo-inverse whitens exactly the span of the samples, where with n <= D the class
 * means explain nearly everything whatever the codes are.
 */
public final class HScore {

    private HScore() {
    }

    /** The score and the shrinkage intensity used. */
    public record Result(double score, double shrinkage) {
    }

    /** H-score of the codes with a Ledoit-Wolf-shrunk covariance. */
    public static double score(LabelledCodes codes) {
        return compute(codes).score();
    }

    /** H-score and the Ledoit-Wolf intensity. */
    public static Result compute(LabelledCodes codes) {
        INDArray x = codes.features().dup();
        int n = codes.size();
        long d = codes.dimensions();
        x.subiRowVector(x.mean(0));
        INDArray cov = x.transpose().mmul(x).divi(n);
        double mu = trace(cov) / d;
        INDArray target = Nd4j.eye(d).castTo(cov.dataType()).muli(mu);
        double d2 = cov.sub(target).norm2Number().doubleValue();
        d2 *= d2;
        // (1/n^2) sum_k |x_k x_k^T - S|_F^2 = (1/n^2) sum_k (|x_k|^4 - 2 x_k^T S x_k) + |S|_F^2 / n
        INDArray rowNormsSquared = x.mul(x).sum(1);
        double fourth = rowNormsSquared.mul(rowNormsSquared).sumNumber().doubleValue();
        double quadratic = x.mmul(cov).muli(x).sumNumber().doubleValue();
        double covNorm = cov.norm2Number().doubleValue();
        double b2 = (fourth - 2 * quadratic) / ((double) n * n) + covNorm * covNorm / n;
        b2 = Math.min(Math.max(b2, 0), d2);
        double shrinkage = d2 == 0 ? 0 : b2 / d2;
        INDArray shrunk = cov.muli(1 - shrinkage).addi(target.muli(shrinkage));

        // cov(E[f|y]): every row replaced by its class mean (x is centred, so this is the between-class scatter).
        INDArray means = Nd4j.zeros(cov.dataType(), codes.classes(), d);
        int[] counts = codes.classCounts();
        int[] labels = codes.labels();
        for (int i = 0; i < n; i++) {
            means.getRow(labels[i]).addi(x.getRow(i));
        }
        INDArray between = Nd4j.zeros(cov.dataType(), d, d);
        for (int k = 0; k < codes.classes(); k++) {
            if (counts[k] > 0) {
                INDArray m = means.getRow(k).divi(counts[k]).reshape(d, 1);
                between.addi(m.mmul(m.transpose()).muli((double) counts[k] / n));
            }
        }
        // tr(S^-1 B) = sum_i q_i^T B q_i / lambda_i over the eigenpairs of the shrunk covariance (LAPACK syev; the
        // general matrix_inverse op of libnd4j 1.0.0-M2.1 failed on a 128 x 128 covariance of real codes).
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(shrunk, true); // shrunk now holds eigenvectors
        INDArray projected = shrunk.transpose().mmul(between).muli(shrunk.transpose()).sum(1);
        double score = 0;
        for (long i = 0; i < d; i++) {
            double l = lambda.getDouble(i);
            if (l > 0) {
                score += projected.getDouble(i) / l;
            }
        }
        return new Result(score, shrinkage);
    }

    private static double trace(INDArray square) {
        double sum = 0;
        for (long i = 0; i < square.rows(); i++) {
            sum += square.getDouble(i, i);
        }
        return sum;
    }
}
