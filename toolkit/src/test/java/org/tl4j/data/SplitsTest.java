package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stratified, seeded, disjoint splits; preset layouts; reuse from splits.json and refusal when data changed. */
class SplitsTest {

    @TempDir
    Path dir;

    /** A manifest of made-up usable entries (splits never open the files). */
    private static Manifest manifest(Map<String, Integer> counts) {
        List<Manifest.Entry> entries = new ArrayList<>();
        counts.forEach((cls, n) -> {
            for (int i = 0; i < n; i++) {
                String path = cls + "/" + i + ".png";
                entries.add(Manifest.Entry.ok(path, cls, null, 10, "hash-" + path, 2, 2, 3));
            }
        });
        return new Manifest(Path.of("/data"), List.copyOf(counts.keySet()), entries, List.of());
    }

    private static Map<String, Integer> counts(Object... classAndCount) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < classAndCount.length; i += 2) {
            counts.put((String) classAndCount[i], (Integer) classAndCount[i + 1]);
        }
        return counts;
    }

    @Test
    void sameSeedSameSplitsOtherSeedOtherSplits() {
        Manifest m = manifest(counts("a", 40, "b", 25, "c", 13));
        Splits one = Splits.stratified(m, Splits.Fractions.DEFAULT, 7);
        Splits two = Splits.stratified(m, Splits.Fractions.DEFAULT, 7);
        Splits other = Splits.stratified(m, Splits.Fractions.DEFAULT, 8);
        for (Splits.Part p : Splits.Part.values()) {
            assertEquals(one.paths(p), two.paths(p));
        }
        assertNotEquals(one.paths(Splits.Part.TEST), other.paths(Splits.Part.TEST));
    }

    @Test
    void partsAreDisjointCoverEverythingAndAreStratifiedWithinOneImage() {
        Map<String, Integer> sizes = counts("a", 40, "b", 25, "c", 13, "d", 4, "e", 101);
        Manifest m = manifest(sizes);
        Splits.Fractions f = Splits.Fractions.parse("70,15,15");
        Splits s = Splits.stratified(m, f, Splits.DEFAULT_SEED);
        Set<String> seen = new HashSet<>();
        for (Splits.Part p : Splits.Part.values()) {
            for (String path : s.paths(p)) {
                assertTrue(seen.add(path), path + " is in two parts");
            }
        }
        assertEquals(m.okEntries().size(), seen.size(), "every usable image is in one part");
        s.countsPerClass(m).forEach((cls, row) -> {
            int n = sizes.get(cls);
            assertTrue(Math.abs(row.get(Splits.Part.TRAIN) - n * f.train()) <= 1, cls + " train " + row);
            assertTrue(Math.abs(row.get(Splits.Part.VAL) - n * f.val()) <= 1, cls + " val " + row);
            assertTrue(Math.abs(row.get(Splits.Part.TEST) - n * f.test()) <= 1, cls + " test " + row);
            assertTrue(row.get(Splits.Part.VAL) >= 1 && row.get(Splits.Part.TEST) >= 1, cls + " " + row);
        });
    }

    @Test
    void classTooSmallToSplitNamesTheClassAndItsCount() {
        Manifest m = manifest(counts("big", 50, "tiny", 2));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Splits.stratified(m, Splits.Fractions.DEFAULT, 1));
        assertTrue(e.getMessage().contains("'tiny' has 2 usable images"), e.getMessage());
        // Three images could fill three parts, but train would get 1 of its 2.1 share: too small as well.
        InvalidInputException three = assertThrows(InvalidInputException.class,
                () -> Splits.stratified(manifest(counts("big", 50, "three", 3)), Splits.Fractions.DEFAULT, 1));
        assertTrue(three.getMessage().contains("'three' has 3 usable images"), three.getMessage());
        assertTrue(three.getMessage().contains("at least 4 needed"), three.getMessage());
    }

    @Test
    void oneClassOrAnEmptyClassCannotBeSplit() {
        InvalidInputException single = assertThrows(InvalidInputException.class,
                () -> Splits.stratified(manifest(counts("only", 30)), Splits.Fractions.DEFAULT, 1));
        assertTrue(single.getMessage().contains("only one class"), single.getMessage());
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> Splits.stratified(manifest(counts("a", 30, "none", 0)), Splits.Fractions.DEFAULT, 1));
        assertTrue(empty.getMessage().contains("'none' has no usable images"), empty.getMessage());
    }

    @Test
    void badFractionsAreRejected() {
        assertEquals(new Splits.Fractions(0.8, 0.1, 0.1), Splits.Fractions.parse("0.8,0.1,0.1"));
        assertThrows(InvalidInputException.class, () -> Splits.Fractions.parse("70,15"));
        assertThrows(InvalidInputException.class, () -> Splits.Fractions.parse("70,20,20"));
        assertThrows(InvalidInputException.class, () -> Splits.Fractions.parse("0,50,50"));
        assertThrows(InvalidInputException.class, () -> Splits.Fractions.parse("a,b,c"));
    }

    @Test
    void savedSplitsAreReusedAndChangedDataIsRefused() throws Exception {
        Path run = dir.resolve("run");
        Manifest m = manifest(counts("a", 20, "b", 20));
        Splits.Resolved first = Splits.loadOrCreate(run, m, Splits.Fractions.DEFAULT, 5);
        assertFalse(first.reused());
        assertTrue(Files.exists(run.resolve("splits.json")));

        // Another seed would give other splits, but the saved ones must come back: the test set stays fixed.
        Splits.Resolved again = Splits.loadOrCreate(run, manifest(counts("a", 20, "b", 20)),
                Splits.Fractions.DEFAULT, 5);
        assertTrue(again.reused());
        for (Splits.Part p : Splits.Part.values()) {
            assertEquals(first.splits().paths(p), again.splits().paths(p));
        }

        InvalidInputException otherSeed = assertThrows(InvalidInputException.class,
                () -> Splits.loadOrCreate(run, m, Splits.Fractions.DEFAULT, 6));
        assertTrue(otherSeed.getMessage().contains("seed 5"), otherSeed.getMessage());

        InvalidInputException changed = assertThrows(InvalidInputException.class,
                () -> Splits.loadOrCreate(run, manifest(counts("a", 21, "b", 20)), Splits.Fractions.DEFAULT, 5));
        assertTrue(changed.getMessage().contains("changed"), changed.getMessage());
        assertTrue(changed.getMessage().contains("1 images added"), changed.getMessage());
    }

    @Test
    void layoutSplitsAreKeptAndAMissingValPartIsCarvedFromTrain() {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (String cls : List.of("cat", "dog")) {
            for (int i = 0; i < 20; i++) {
                entries.add(Manifest.Entry.ok("train/" + cls + "/" + i + ".png", cls, "train", 1, "h" + cls + i, 2, 2,
                        3));
            }
            for (int i = 0; i < 4; i++) {
                entries.add(Manifest.Entry.ok("test/" + cls + "/" + i + ".png", cls, "test", 1, "t" + cls + i, 2, 2,
                        3));
            }
        }
        Manifest m = new Manifest(Path.of("/data"), List.of("cat", "dog"), entries, List.of());
        Splits s = Splits.of(m, Splits.Fractions.DEFAULT, 3);
        assertEquals(Splits.Source.LAYOUT, s.source());
        assertTrue(s.paths(Splits.Part.TEST).stream().allMatch(p -> p.startsWith("test/")));
        assertEquals(8, s.paths(Splits.Part.TEST).size());
        // val carved from train: 15 / (70 + 15) of 20 per class = 3.5 -> 4
        assertEquals(8, s.paths(Splits.Part.VAL).size());
        assertTrue(s.paths(Splits.Part.VAL).stream().allMatch(p -> p.startsWith("train/")));
        assertEquals(32, s.paths(Splits.Part.TRAIN).size());
    }
}
