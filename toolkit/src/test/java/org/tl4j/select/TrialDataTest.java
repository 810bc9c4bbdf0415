package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.train.FeatureTestData;

/** The trials' images: a seeded subsample of the training split only, laid out as a train/val/test folder. */
class TrialDataTest {

    @TempDir
    Path dir;

    @Test
    void trialImagesComeFromTheTrainingSplitOnlyAndAreSeeded() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 20, 3);
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(false));
        Splits splits = Splits.of(manifest, Splits.Fractions.DEFAULT, 42);
        List<Manifest.Entry> training = splits.entries(manifest, Splits.Part.TRAIN);
        TrialData trial = TrialData.carve(manifest, training, 10, 7);

        Set<String> allowed = new HashSet<>(splits.paths(Splits.Part.TRAIN));
        Set<String> used = new HashSet<>();
        trial.all().forEach(e -> used.add(e.path()));
        assertEquals(trial.all().size(), used.size(), "no image in two parts");
        assertTrue(allowed.containsAll(used), "only training-split images");
        for (Splits.Part other : List.of(Splits.Part.VAL, Splits.Part.TEST)) {
            assertTrue(splits.paths(other).stream().noneMatch(used::contains), other + " split untouched");
        }
        // 14 training images per class, at most 10 used: 2 held out, 2 for early stopping, 6 to train.
        int classes = manifest.classes().size();
        assertEquals(6 * classes, trial.train().size());
        assertEquals(2 * classes, trial.validation().size());
        assertEquals(2 * classes, trial.holdout().size());
        assertEquals(trial, TrialData.carve(manifest, training, 10, 7), "the same seed draws the same images");

        Path folder = trial.materialise(manifest, dir.resolve("trial"));
        Manifest laidOut = ImageFolder.scan(folder, ScanOptions.defaults().withProgress(false));
        assertEquals(manifest.classes(), laidOut.classes());
        Splits parts = Splits.of(laidOut, Splits.Fractions.DEFAULT, 42);
        assertEquals(trial.train().size(), parts.paths(Splits.Part.TRAIN).size());
        assertEquals(trial.validation().size(), parts.paths(Splits.Part.VAL).size());
        assertEquals(trial.holdout().size(), parts.paths(Splits.Part.TEST).size());
        Path one = folder.resolve("test").resolve(trial.holdout().get(0).label());
        try (var files = Files.list(one)) {
            Path link = files.findFirst().orElseThrow();
            assertTrue(Files.isSymbolicLink(link));
            assertTrue(allowed.contains(manifest.root().relativize(Files.readSymbolicLink(link)).toString()));
        }
    }

    @Test
    void aClassWithTooFewTrainingImagesIsRefusedNamingIt() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 4, 3); // 2 training images per class
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(false));
        List<Manifest.Entry> training = Splits.of(manifest, Splits.Fractions.DEFAULT, 42)
                .entries(manifest, Splits.Part.TRAIN);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrialData.carve(manifest, training, 60, 1));
        assertTrue(e.getMessage().contains("at least 3 training images") && e.getMessage().contains("class '"),
                e.getMessage());
    }
}
