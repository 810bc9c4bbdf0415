package org.tl4j.codes;

/**
 * The per-row transforms applied to pooled codes, in this order: signed square root ({@code sign(x) sqrt|x|},
 * which damps the few large activations of a ReLU map), then scaling to unit L2 norm. Pure functions on arrays so
 * the same transform serves extraction and prediction.
 */
public final class CodeNormalisation {

    private CodeNormalisation() {
    }

    /**
     * Transforms {@code rows} rows of {@code dim} values in place.
     *
     * @param signedSqrt apply the signed square root
     * @param l2         scale each row to unit L2 norm (an all-zero row stays zero)
     */
    public static void apply(float[] values, int rows, int dim, boolean signedSqrt, boolean l2) {
        for (int r = 0; r < rows; r++) {
            int from = r * dim;
            if (signedSqrt) {
                for (int j = from; j < from + dim; j++) {
                    float x = values[j];
                    values[j] = (float) (Math.signum(x) * Math.sqrt(Math.abs(x)));
                }
            }
            if (l2) {
                double sum = 0;
                for (int j = from; j < from + dim; j++) {
                    sum += (double) values[j] * values[j];
                }
                if (sum > 0) {
                    float scale = (float) (1 / Math.sqrt(sum));
                    for (int j = from; j < from + dim; j++) {
                        values[j] *= scale;
                    }
                }
            }
        }
    }
}
