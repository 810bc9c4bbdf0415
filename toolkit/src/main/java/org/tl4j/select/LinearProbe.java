package org.tl4j.select;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesInfo;
import org.tl4j.svm.Standardizer;

/**
 * k-fold linear-probe accuracy: L2-regularised logistic regression (LIBLINEAR's primal Newton solver, or its dual
 * solver with a reset generator when there are fewer images than dimensions; deterministic either way) trained on k - 1 folds of standardised codes and scored on the held-out fold; the accuracy over
 * all held-out rows is the estimate of how well a linear classifier on these codes generalises. Folds are
 * stratified and drawn from a seed.
 *
 * <p>The regularisation is fixed (C = {@value #DEFAULT_C} on standardised codes) rather than chosen by an inner
 * search: the probe compares taps and sources with each other, so the same classifier everywhere matters more than
 * its best accuracy, and an inner search would multiply the cost by the grid's size. Standardisation is the SVM
 * package's {@link Standardizer}; the solver is called directly because the probe needs LIBLINEAR's logistic
 * regression at a fixed C, not {@link org.tl4j.svm.SvmTrainer}'s C search on a validation split.
 */
public final class LinearProbe {

    /** Inverse regularisation strength on standardised codes. */
    public static final double DEFAULT_C = 1.0;
    /** Folds when the smallest class allows it. */
    public static final int DEFAULT_FOLDS = 5;

    private final int folds;
    private final double c;
    private final long seed;

    /**
     * @param folds wanted number of folds (fewer when the smallest class has fewer images; at least 2)
     * @param c     LIBLINEAR's C
     * @param seed  seed of the fold assignment
     */
    public LinearProbe(int folds, double c, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("a k-fold probe needs k >= 2, got " + folds);
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("C must be positive, got " + c);
        }
        this.folds = folds;
        this.c = c;
        this.seed = seed;
    }

    /** A probe with the default folds and C. */
    public static LinearProbe withSeed(long seed) {
        return new LinearProbe(DEFAULT_FOLDS, DEFAULT_C, seed);
    }

    /** Folds actually used for these codes: at most the smallest non-empty class's size. */
    public int foldsFor(LabelledCodes codes) {
        int smallest = java.util.Arrays.stream(codes.classCounts()).filter(k -> k > 0).min().orElse(0);
        if (smallest < 2) {
            throw new org.tl4j.data.InvalidInputException("a class has a single training image: the k-fold linear"
                    + " probe needs at least 2 images in every class; add images or remove the class folder");
        }
        return Math.min(folds, smallest);
    }

    /** Held-out accuracy over all rows, each predicted by the model trained without its fold. */
    public double accuracy(LabelledCodes codes) {
        int k = foldsFor(codes);
        int[] fold = stratifiedFolds(codes.labels(), codes.classes(), k, seed);
        Codes all = asCodes(codes);
        int[] labels = codes.labels();
        int correct = 0;
        Linear.disableDebugOutput();
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            // The SVM package's scaler, fitted on the training folds only.
            Standardizer scaler = Standardizer.fit(all.select(train.stream().mapToInt(Integer::intValue).toArray()));
            Problem problem = new Problem();
            problem.l = train.size();
            problem.n = all.dim() + 1;
            problem.bias = 1; // LIBLINEAR's bias feature: the last column, constant 1, in training and prediction
            problem.x = new Feature[train.size()][];
            problem.y = new double[train.size()];
            for (int t = 0; t < train.size(); t++) {
                problem.x[t] = row(scaler, all, train.get(t));
                problem.y[t] = labels[train.get(t)];
            }
            // Fewer images than dimensions (raw pixels, wide taps): the primal Newton solver crawls on such nearly
            // separable data (minutes for 800 x 3072), the dual coordinate-descent solver does not (LIBLINEAR's own
            // advice for n << d). Its shuffles use LIBLINEAR's static generator: reset it so runs repeat exactly.
            boolean dual = problem.l < problem.n;
            Linear.resetRandom();
            Model model = Linear.train(problem, new Parameter(dual ? SolverType.L2R_LR_DUAL : SolverType.L2R_LR, c,
                    dual ? 0.1 : 0.01));
            for (int i : test) {
                if ((int) Linear.predict(model, row(scaler, all, i)) == labels[i]) {
                    correct++;
                }
            }
        }
        return (double) correct / labels.length;
    }

    /** The codes as the SVM package's type (float values, class names "0".."K-1"). */
    private static Codes asCodes(LabelledCodes codes) {
        int n = codes.size();
        int d = (int) codes.dimensions();
        float[] values = codes.features().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        List<String> classes = java.util.stream.IntStream.range(0, codes.classes()).mapToObj(String::valueOf).toList();
        return new Codes(CodesInfo.unknownOrigin(classes), n, d, values, codes.labels(),
                java.util.Collections.nCopies(n, ""));
    }

    /** Fold of each row: each class's rows shuffled by the seed and dealt round-robin, so folds are stratified. */
    static int[] stratifiedFolds(int[] labels, int classes, int k, long seed) {
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        int offset = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    rows.add(i);
                }
            }
            java.util.Collections.shuffle(rows, random);
            for (int j = 0; j < rows.size(); j++) {
                fold[rows.get(j)] = (offset + j) % k;
            }
            // Continue the deal where this class stopped, so small classes do not all fill fold 0 first.
            offset = (offset + rows.size()) % k;
        }
        return fold;
    }

    private static Feature[] row(Standardizer scaler, Codes codes, int i) {
        double[] values = scaler.apply(codes, i);
        Feature[] row = new Feature[values.length + 1];
        for (int j = 0; j < values.length; j++) {
            row[j] = new FeatureNode(j + 1, values[j]);
        }
        row[values.length] = new FeatureNode(values.length + 1, 1.0);
        return row;
    }
}
