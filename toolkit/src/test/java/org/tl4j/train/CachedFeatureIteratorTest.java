package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class CachedFeatureIteratorTest {

    private static final String KEY = "test-key\n";
    private static final int ROWS = 23;

    @TempDir
    Path dir;

    /** Row ids seen in each of {@code epochs} epochs (FeatureFileTest's rows start with r*10). */
    private static List<List<Integer>> visit(CachedFeatureIterator it, int epochs) {
        List<List<Integer>> seen = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            it.reset();
            List<Integer> rows = new ArrayList<>();
            while (it.hasNext()) {
                DataSet ds = it.next();
                assertTrue(ds.numExamples() <= 5);
                for (int i = 0; i < ds.numExamples(); i++) {
                    int row = Math.round(ds.getFeatures().getFloat(i, 0) / 10);
                    rows.add(row);
                    assertEquals(row * 10 + 5, ds.getFeatures().getFloat(i, 5), 0f);
                    assertEquals(row % 3, ds.getLabels().getRow(i).argMax().getInt(0), "one-hot label of " + row);
                }
            }
            seen.add(rows);
        }
        return seen;
    }

    @Test
    void everyEpochCoversEveryRowOnceInASeededShuffle() throws IOException {
        Path file = FeatureFileTest.write(dir.resolve("x.feat"), KEY, ROWS, 4);
        try (FeatureFile f = FeatureFile.open(file, KEY)) {
            List<List<Integer>> a = visit(new CachedFeatureIterator(f, 5, 11, true, null), 3);
            List<List<Integer>> b = visit(new CachedFeatureIterator(f, 5, 11, true, null), 3);
            List<List<Integer>> c = visit(new CachedFeatureIterator(f, 5, 12, true, null), 3);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                all.add(i);
            }
            for (List<Integer> epoch : a) {
                assertEquals(ROWS, epoch.size());
                assertEquals(all, epoch.stream().sorted().toList(), "each row exactly once");
                assertFalse(epoch.equals(all), "shuffled");
            }
            assertEquals(a, b, "same seed, same orders");
            assertFalse(a.get(0).equals(a.get(1)), "a new order each epoch");
            assertFalse(a.get(0).equals(c.get(0)), "another seed, another order");
            assertEquals(List.of(all), visit(new CachedFeatureIterator(f, 5, 11, false, null), 1));
        }
    }

    @Test
    void resetBeforeAnyBatchDoesNotSkipAnEpoch() throws IOException {
        Path file = FeatureFileTest.write(dir.resolve("x.feat"), KEY, ROWS, 4);
        try (FeatureFile f = FeatureFile.open(file, KEY)) {
            CachedFeatureIterator it = new CachedFeatureIterator(f, 5, 11, true, null);
            it.reset();
            it.reset();
            assertEquals(0, it.epoch());
            assertArrayEquals(it.order(0), new CachedFeatureIterator(f, 5, 11, true, null).order(0));
            assertEquals(6, f.featureLength());
            assertEquals(6, it.inputColumns());
            assertEquals(3, it.totalOutcomes());
        }
    }
}
