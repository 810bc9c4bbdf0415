package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LogME, H-score and LEEP against values numpy computed independently (toolkit/src/test/python/select_fixtures.py
 * wrote resources/select/metric-fixtures.json), and all metrics plus the linear probe against their limits:
 * well-separated classes score high, random labels near chance, a separated tap above a random projection.
 */
class TransferabilityMetricsTest {

    private record Fixture(String name, LabelledCodes codes, double[][] theta, double logme, double hscore,
                           double shrinkage, double leep) {
    }

    private static List<Fixture> fixtures() throws IOException {
        try (InputStream in = TransferabilityMetricsTest.class.getResourceAsStream("/select/metric-fixtures.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Fixture> result = new ArrayList<>();
            ObjectMapper mapper = new ObjectMapper();
            for (JsonNode c : root.get("cases")) {
                double[][] f = mapper.treeToValue(c.get("features"), double[][].class);
                int[] y = mapper.treeToValue(c.get("labels"), int[].class);
                double[][] theta = mapper.treeToValue(c.get("sourceProbabilities"), double[][].class);
                result.add(new Fixture(c.get("name").asText(), LabelledCodes.of(f, y, c.get("classes").asInt()), theta,
                        c.get("logme").asDouble(), c.get("hscore").asDouble(), c.get("shrinkage").asDouble(),
                        c.get("leep").asDouble()));
            }
            return result;
        }
    }

    @Test
    void logMeMatchesNumpy() throws IOException {
        for (Fixture f : fixtures()) {
            assertEquals(f.logme(), LogMe.score(f.codes()), 1e-6, f.name());
        }
    }

    @Test
    void hScoreAndItsShrinkageMatchNumpy() throws IOException {
        for (Fixture f : fixtures()) {
            HScore.Result r = HScore.compute(f.codes());
            assertEquals(f.shrinkage(), r.shrinkage(), 1e-9, f.name());
            assertEquals(f.hscore(), r.score(), 1e-6 * Math.max(1, Math.abs(f.hscore())), f.name());
        }
    }

    @Test
    void leepMatchesNumpy() throws IOException {
        for (Fixture f : fixtures()) {
            assertEquals(f.leep(), Leep.score(Nd4j.createFromArray(f.theta()), f.codes().labels(),
                    f.codes().classes()), 1e-9, f.name());
        }
    }

    /** n images in k classes, each class a Gaussian blob at distance ~separation; D dimensions. */
    static LabelledCodes blobs(int n, int k, int d, double separation, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = r.nextGaussian() * separation;
            }
        }
        double[][] x = new double[n][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[y[i]][j] + r.nextGaussian();
            }
        }
        return LabelledCodes.of(x, y, k);
    }

    /** The same labels on codes that are a random projection of noise: they carry nothing about the class. */
    static LabelledCodes randomProjection(LabelledCodes like, int d, long seed) {
        Random r = new Random(seed);
        int n = like.size();
        double[][] noise = new double[n][d];
        for (double[] row : noise) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] w = new double[d][d];
        for (double[] row : w) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian() / Math.sqrt(d);
            }
        }
        return new LabelledCodes(Nd4j.createFromArray(noise).mmul(Nd4j.createFromArray(w)), like.labels(),
                like.classes());
    }

    static int[] shuffledLabels(LabelledCodes codes, long seed) {
        int[] y = codes.labels();
        Random r = new Random(seed);
        for (int i = y.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = y[i];
            y[i] = y[j];
            y[j] = t;
        }
        return y;
    }

    @Test
    void separatedClassesProbeNearPerfectAndRandomLabelsNearChance() {
        LabelledCodes separated = blobs(100, 4, 16, 3.0, 1);
        LinearProbe probe = LinearProbe.withSeed(7);
        assertTrue(probe.accuracy(separated) >= 0.97, "separated blobs: " + probe.accuracy(separated));
        double shuffled = probe.accuracy(separated.withLabels(shuffledLabels(separated, 2)));
        assertTrue(shuffled < 0.25 + 0.15, "random labels, chance 0.25: " + shuffled);
    }

    @Test
    void logMeAndHScoreFallWhenLabelsAreRandom() {
        LabelledCodes separated = blobs(100, 4, 16, 3.0, 3);
        LabelledCodes shuffled = separated.withLabels(shuffledLabels(separated, 4));
        assertTrue(LogMe.score(separated) > LogMe.score(shuffled) + 0.2,
                "LogME " + LogMe.score(separated) + " vs random labels " + LogMe.score(shuffled));
        double h = HScore.score(separated);
        double hRandom = HScore.score(shuffled);
        // At most about K - 1 = 3: separated blobs come close, random labels only pick up sampling noise.
        assertTrue(h > 2.5 && h < 3.05, "H-score separated " + h);
        assertTrue(hRandom < 0.8, "H-score random labels " + hRandom);
    }

    @Test
    void separatedTapRanksAboveRandomProjectionTapForLogMeProbeAndHScore() {
        // A "tap" whose codes separate the classes moderately against one that is a random projection of noise,
        // with the same labels and width; ten images per class as in the small-target case.
        LabelledCodes separated = blobs(50, 5, 64, 0.5, 5);
        LabelledCodes projected = randomProjection(separated, 64, 6);
        LinearProbe probe = LinearProbe.withSeed(8);
        assertTrue(LogMe.score(separated) > LogMe.score(projected),
                LogMe.score(separated) + " vs " + LogMe.score(projected));
        assertTrue(probe.accuracy(separated) > probe.accuracy(projected) + 0.2,
                probe.accuracy(separated) + " vs " + probe.accuracy(projected));
        assertTrue(HScore.score(separated) > HScore.score(projected),
                HScore.score(separated) + " vs " + HScore.score(projected));
    }

    @Test
    void leepIsHigherWhenSourcePredictionsFollowTheTargetClasses() {
        int n = 60;
        int k = 3;
        Random r = new Random(9);
        int[] y = new int[n];
        double[][] informative = new double[n][4];
        double[][] uninformative = new double[n][4];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int z = 0; z < 4; z++) {
                informative[i][z] = (z == y[i] ? 0.85 : 0.05);
                uninformative[i][z] = 0.25;
            }
        }
        double good = Leep.score(Nd4j.createFromArray(informative), y, k);
        double none = Leep.score(Nd4j.createFromArray(uninformative), y, k);
        // A constant source prediction leaves only the label prior: LEEP = -log K for balanced classes.
        assertEquals(-Math.log(k), none, 1e-12);
        assertTrue(good > -0.3 && good <= 0, "informative source: " + good);
    }

    @Test
    void stratifiedFoldsKeepEachClassSpreadOverAllFolds() {
        int[] labels = new int[30];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        int[] fold = LinearProbe.stratifiedFolds(labels, 3, 5, 11);
        int[][] counts = new int[3][5];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][fold[i]]++;
        }
        for (int[] perFold : counts) {
            for (int c : perFold) {
                assertEquals(2, c);
            }
        }
    }

    @Test
    void sizeFactsOfAnImbalancedFolder() {
        SizeFacts facts = SizeFacts.ofCounts(new int[] {10, 40, 20, 100});
        assertEquals(4, facts.classes());
        assertEquals(170, facts.images());
        assertEquals(10, facts.minPerClass());
        assertEquals(20, facts.medianPerClass());
        assertEquals(10.0, facts.imbalance(), 1e-12);
    }
}
