package org.tl4j.svm;

import java.util.Arrays;
import java.util.Objects;
import org.tl4j.data.Splits;

/**
 * How a linear classifier on codes is fitted.
 *
 * @param solver       SVM or logistic regression
 * @param cGrid        the values of C tried (each fitted on train, scored on validation)
 * @param classWeights weight each class by {@code n / (K n_k)} so small classes count as much as large ones; C is
 *                     then chosen by balanced accuracy (mean recall per class)
 * @param epsilon      LIBLINEAR's stopping tolerance
 * @param valFraction  share of each training class held out to choose C when no validation codes are given
 * @param seed         seed of that hold-out
 */
public record SvmOptions(LinearSolver solver, double[] cGrid, boolean classWeights, double epsilon,
                         double valFraction, long seed) {

    /** 2^-12, 2^-10, ..., 2^4: a log grid wide enough for standardised codes of a few hundred to a few thousand
     * dimensions (the best C shrinks as the dimension grows). */
    public static final double[] DEFAULT_GRID = logGrid(-12, 4, 2);

    public SvmOptions {
        Objects.requireNonNull(solver, "solver");
        if (cGrid == null || cGrid.length == 0 || Arrays.stream(cGrid).anyMatch(c -> !(c > 0) || Double.isInfinite(c))) {
            throw new IllegalArgumentException("the C grid needs positive values, got " + Arrays.toString(cGrid));
        }
        cGrid = cGrid.clone();
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + valFraction);
        }
    }

    /** Linear SVM, default grid, no class weights. */
    public static SvmOptions defaults() {
        return new SvmOptions(LinearSolver.SVM, DEFAULT_GRID, false, 0.01, 0.2, Splits.DEFAULT_SEED);
    }

    /** With another solver. */
    public SvmOptions withSolver(LinearSolver other) {
        return new SvmOptions(other, cGrid, classWeights, epsilon, valFraction, seed);
    }

    /** With another C grid. */
    public SvmOptions withGrid(double... grid) {
        return new SvmOptions(solver, grid, classWeights, epsilon, valFraction, seed);
    }

    /** With or without class weights. */
    public SvmOptions withClassWeights(boolean on) {
        return new SvmOptions(solver, cGrid, on, epsilon, valFraction, seed);
    }

    @Override
    public double[] cGrid() {
        return cGrid.clone();
    }

    /** {@code 2^from, 2^(from+step), ..., 2^to}. */
    public static double[] logGrid(int fromExponent, int toExponent, int step) {
        int n = (toExponent - fromExponent) / step + 1;
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) {
            grid[i] = Math.pow(2, fromExponent + i * step);
        }
        return grid;
    }
}
