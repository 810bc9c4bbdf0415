package org.tl4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesInfo;
import org.tl4j.codes.Pooling;
import org.tl4j.data.InvalidInputException;

/** LIBLINEAR on synthetic codes: accuracy, C chosen on validation only, class weights, bundles. */
class SvmTrainerTest {

    @TempDir
    Path dir;

    /**
     * Gaussian classes in {@code dim} dimensions: class k's mean is {@code separation} along axis k, every other
     * axis is noise with a large offset and scale (so standardisation matters).
     */
    static Codes blobs(int[] perClass, int dim, double separation, long seed) {
        Random random = new Random(seed);
        int n = Arrays.stream(perClass).sum();
        float[] values = new float[n * dim];
        int[] labels = new int[n];
        List<String> paths = new ArrayList<>();
        int row = 0;
        for (int k = 0; k < perClass.length; k++) {
            for (int i = 0; i < perClass[k]; i++, row++) {
                for (int j = 0; j < dim; j++) {
                    double scale = 1 + j % 5 * 10;
                    values[row * dim + j] = (float) (100 + scale * (random.nextGaussian() + (j == k ? separation : 0)));
                }
                labels[row] = k;
                paths.add("c" + k + "/" + i + ".png");
            }
        }
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < perClass.length; k++) {
            classes.add("c" + k);
        }
        CodesInfo info = new CodesInfo("resnet50-small", "00", "res3d", "res3d_relu", Pooling.AVG, false, false,
                classes);
        return new Codes(info, n, dim, values, labels, paths);
    }

    @Test
    void bothSolversSeparateWellSeparatedClasses() {
        Codes train = blobs(new int[] {40, 40, 40}, 20, 4, 1);
        Codes val = blobs(new int[] {20, 20, 20}, 20, 4, 2);
        Codes test = blobs(new int[] {30, 30, 30}, 20, 4, 3);
        for (LinearSolver solver : LinearSolver.values()) {
            SvmModel model = new SvmTrainer(SvmOptions.defaults().withSolver(solver)).fit(train, val);
            double accuracy = model.evaluate(test).accuracy();
            assertTrue(accuracy > 0.9, solver + " accuracy " + accuracy);
            assertEquals(SvmOptions.DEFAULT_GRID.length, model.trials().size());
        }
    }

    @Test
    void cIsChosenByTheValidationScoreAlone() {
        Codes train = blobs(new int[] {30, 30}, 40, 0.8, 4);
        Codes val = blobs(new int[] {30, 30}, 40, 0.8, 5);
        double[] grid = SvmOptions.logGrid(-14, 6, 4);
        SvmModel model = new SvmTrainer(SvmOptions.defaults().withGrid(grid)).fit(train, val);
        // Each trial's score is what a model fitted on train at that C scores on the validation codes.
        double best = -1;
        for (SvmModel.Trial t : model.trials()) {
            SvmModel single = new SvmTrainer(SvmOptions.defaults().withGrid(t.c())).fit(train, val);
            assertEquals(single.evaluate(val).accuracy(), t.valScore(), 1e-12, "C=" + t.c());
            best = Math.max(best, t.valScore());
        }
        double bestScore = best;
        double expectedC = model.trials().stream().filter(t -> t.valScore() == bestScore)
                .mapToDouble(SvmModel.Trial::c).min().orElseThrow();
        assertEquals(expectedC, model.c());
        // The final model is the one fitted on train alone at that C.
        SvmModel refit = new SvmTrainer(SvmOptions.defaults().withGrid(model.c())).fit(train, val);
        Codes probe = blobs(new int[] {25, 25}, 40, 0.8, 6);
        assertArrayEquals(refit.predict(probe), model.predict(probe));

        // Other validation codes (here with swapped labels) give other scores and can move the choice.
        Codes swapped = blobs(new int[] {30, 30}, 40, 0.8, 5);
        int[] flipped = swapped.labels();
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = 1 - flipped[i];
        }
        Codes misleading = new Codes(swapped.info(), swapped.rows(), swapped.dim(), rowsOf(swapped), flipped,
                swapped.paths());
        SvmModel other = new SvmTrainer(SvmOptions.defaults().withGrid(grid)).fit(train, misleading);
        for (int k = 0; k < grid.length; k++) {
            assertEquals(1 - model.trials().get(k).valScore(), other.trials().get(k).valScore(), 1e-12);
        }
    }

    private static float[] rowsOf(Codes codes) {
        float[] v = new float[codes.rows() * codes.dim()];
        for (int i = 0; i < codes.rows(); i++) {
            System.arraycopy(codes.row(i), 0, v, i * codes.dim(), codes.dim());
        }
        return v;
    }

    @Test
    void withoutValidationCodesAStratifiedShareOfTrainIsHeldOut() {
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            labels[i] = i < 40 ? 0 : 1;
        }
        int[][] parts = SvmTrainer.stratifiedHoldOut(labels, 0.2, 7);
        assertEquals(10, parts[1].length);
        assertEquals(8, Arrays.stream(parts[1]).filter(i -> labels[i] == 0).count());
        assertEquals(2, Arrays.stream(parts[1]).filter(i -> labels[i] == 1).count());
        assertArrayEquals(parts[1], SvmTrainer.stratifiedHoldOut(labels, 0.2, 7)[1], "seeded");

        SvmModel model = new SvmTrainer(SvmOptions.defaults()).fit(blobs(new int[] {30, 30}, 10, 4, 8), null);
        assertTrue(model.validation().contains("12 of 60"), model.validation());
    }

    @Test
    void classWeightsRaiseTheRecallOfASmallClass() {
        Codes train = blobs(new int[] {200, 12}, 10, 1.2, 9);
        Codes val = blobs(new int[] {100, 6}, 10, 1.2, 10);
        Codes test = blobs(new int[] {500, 500}, 10, 1.2, 11);
        double[] grid = {0.01};
        SvmModel plain = new SvmTrainer(SvmOptions.defaults().withGrid(grid)).fit(train, val);
        SvmModel weighted = new SvmTrainer(SvmOptions.defaults().withGrid(grid).withClassWeights(true))
                .fit(train, val);
        double plainBalanced = plain.evaluate(test).balancedAccuracy();
        double weightedBalanced = weighted.evaluate(test).balancedAccuracy();
        assertTrue(weightedBalanced > plainBalanced + 0.05, plainBalanced + " -> " + weightedBalanced);
    }

    @Test
    void bundleRoundTripsAndDamageIsNamed() throws IOException {
        Codes train = blobs(new int[] {30, 30, 30}, 12, 3, 12);
        SvmModel model = new SvmTrainer(SvmOptions.defaults().withSolver(LinearSolver.LOGISTIC)).fit(train,
                blobs(new int[] {10, 10, 10}, 12, 3, 13));
        Path file = dir.resolve("svm.zip");
        model.save(file);
        SvmModel back = SvmModel.load(file);
        Codes probe = blobs(new int[] {20, 20, 20}, 12, 3, 14);
        assertArrayEquals(model.predict(probe), back.predict(probe));
        assertEquals(model.codesInfo(), back.codesInfo());
        assertEquals(model.scaler(), back.scaler());
        assertEquals(model.c(), back.c());
        assertEquals(model.trials(), back.trials());
        assertEquals(LinearSolver.LOGISTIC, back.solver());

        Path damaged = dir.resolve("damaged.zip");
        Files.write(damaged, Arrays.copyOf(Files.readAllBytes(file), 100));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SvmModel.load(damaged));
        assertTrue(e.getMessage().contains(damaged.toString()), e.getMessage());

        Codes wrongWidth = blobs(new int[] {5, 5, 5}, 13, 3, 15);
        e = assertThrows(InvalidInputException.class, () -> back.predict(wrongWidth));
        assertTrue(e.getMessage().contains("13"), e.getMessage());
    }
}
