package org.tl4j.svm;

import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.codes.Codes;
import org.tl4j.data.InvalidInputException;

/**
 * Fits a one-vs-rest linear classifier (LIBLINEAR) on standardised codes and chooses C on validation codes only.
 * The test split never reaches this class: it is given training and validation codes and nothing else.
 */
public final class SvmTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SvmTrainer.class);

    static {
        // LIBLINEAR prints its iterations to stdout by default.
        Linear.disableDebugOutput();
    }

    private final SvmOptions options;

    /** A trainer with these options. */
    public SvmTrainer(SvmOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Fits on {@code train}, choosing C by the score on {@code val}; when {@code val} is null a stratified, seeded
     * share of {@code train} ({@link SvmOptions#valFraction()}) is held out to choose C, and the final model is then
     * refitted on all of {@code train} with that C. With given validation codes the final model is the one fitted
     * on {@code train} at the chosen C. The scaler is always fitted on the codes the final model is fitted on.
     */
    public SvmModel fit(Codes train, Codes val) {
        List<String> classes = train.info().classes();
        int[] trainLabels = train.labels();
        if (Arrays.stream(trainLabels).distinct().count() < 2) {
            throw new InvalidInputException("the training codes hold " + Arrays.stream(trainLabels).distinct().count()
                    + " class(es): a classifier needs images of two or more classes");
        }
        Codes fitPart = train;
        Codes valPart = val;
        String validation;
        if (val == null) {
            int[][] parts = stratifiedHoldOut(trainLabels, options.valFraction(), options.seed());
            fitPart = train.select(parts[0]);
            valPart = train.select(parts[1]);
            validation = String.format(Locale.ROOT, "%d of %d training images held out (stratified, seed %d)",
                    parts[1].length, train.rows(), options.seed());
        } else {
            validation = val.rows() + " validation images";
        }
        if (valPart.dim() != train.dim()) {
            throw new InvalidInputException("validation codes have " + valPart.dim() + " values per image, training"
                    + " codes " + train.dim() + ": extract both with the same model, tap and pooling");
        }
        int[] valTruth = SvmModel.labelsInModelOrder(valPart, classes);
        Standardizer scaler = Standardizer.fit(fitPart);
        Problem problem = LinearProblems.problem(scaler, fitPart, fitPart.labels());

        List<SvmModel.Trial> trials = new ArrayList<>();
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestC = Double.NaN;
        Model best = null;
        for (double c : options.cGrid()) {
            Model model = train(problem, c, fitPart.labels(), classes.size());
            int[] predicted = new int[valPart.rows()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = (int) Linear.predict(model, LinearProblems.row(scaler, valPart, i));
            }
            Evaluation e = Evaluation.of(valTruth, predicted, classes.size());
            double score = options.classWeights() ? e.balancedAccuracy() : e.accuracy();
            trials.add(new SvmModel.Trial(c, score));
            LOG.info(String.format(Locale.ROOT, "%s C=%g: validation %s %.4f", options.solver(), c,
                    options.classWeights() ? "balanced accuracy" : "accuracy", score));
            // Ties go to the smaller C (stronger regularisation).
            if (score > bestScore || (score == bestScore && c < bestC)) {
                bestScore = score;
                bestC = c;
                best = model;
            }
        }
        if (val == null) {
            scaler = Standardizer.fit(train);
            best = train(LinearProblems.problem(scaler, train, trainLabels), bestC, trainLabels, classes.size());
        }
        LOG.info(String.format(Locale.ROOT, "chose C=%g (validation score %.4f on %s)", bestC, bestScore, validation));
        return new SvmModel(train.info(), options.solver(), bestC, options.classWeights(), scaler, best, trials,
                validation);
    }

    private Model train(Problem problem, double c, int[] labels, int classes) {
        Parameter parameter = new Parameter(options.solver().type(), c, options.epsilon());
        if (options.classWeights()) {
            int[] counts = new int[classes];
            for (int l : labels) {
                counts[l]++;
            }
            List<Integer> present = new ArrayList<>();
            for (int k = 0; k < classes; k++) {
                if (counts[k] > 0) {
                    present.add(k);
                }
            }
            double[] weights = new double[present.size()];
            int[] weightLabels = new int[present.size()];
            for (int i = 0; i < weights.length; i++) {
                int k = present.get(i);
                weightLabels[i] = k;
                weights[i] = labels.length / (double) (present.size() * counts[k]);
            }
            parameter.setWeights(weights, weightLabels);
        }
        // LIBLINEAR's dual solvers shuffle with a static Random: reset it so each fit is reproducible.
        Linear.resetRandom();
        return Linear.train(problem, parameter);
    }

    /** {fit indices, held-out indices}: per class, a seeded shuffle, {@code fraction} held out (one at least when
     * the class has two or more images, none when it has one). */
    static int[][] stratifiedHoldOut(int[] labels, double fraction, long seed) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        Random random = new Random(seed);
        List<Integer> fit = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, random);
            int out = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * fraction));
            held.addAll(members.subList(0, out));
            fit.addAll(members.subList(out, members.size()));
        }
        fit.sort(null);
        held.sort(null);
        if (held.isEmpty()) {
            throw new InvalidInputException("too few training images to hold some out for choosing C: give"
                    + " validation codes (--val)");
        }
        return new int[][] {fit.stream().mapToInt(Integer::intValue).toArray(),
                held.stream().mapToInt(Integer::intValue).toArray()};
    }
}
