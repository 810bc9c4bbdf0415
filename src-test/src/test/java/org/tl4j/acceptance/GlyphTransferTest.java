package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's one real run, end to end through {@code ./tl4j}: a small ResNet pretrained by the suite on the glyph set
 * ({@link GlyphSource}: characters rendered from Debian's fonts, 32x32 input, one epoch), then moved to OpenCV's
 * handwritten digits with 10 images per class, by feature extractor and by fine-tuning. Both must beat the same
 * network trained from scratch on the same 100 images, on the same 1,000 held-out test digits. A PyTorch reference
 * run measured about 0.95 against 0.79 with a fully pretrained source.
 *
 * <p>Measured 2026-11-27 on the 2-core machine with the one-epoch source (0.73 on held-out font families): feature
 * extractor 0.685 against 0.373 from scratch.
 */
class GlyphTransferTest {

    static final String SEED = GlyphSource.SEED;
    static final String MODEL = GlyphSource.MODEL;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void pretrainedOnGlyphsBothTransfersBeatScratchOnTenDigitsPerClass() throws Exception {
        GlyphSource source = GlyphSource.get();
        Path digits = GlyphSource.digitsTenPerClass(work);
        Path sourceModel = source.model();
        double features = fit(digits, work.resolve("feature-extractor"), "feature-extractor",
                "--weights", sourceModel.toString());
        // Fine-tuning and scratch get the same budget and no early stopping: with 2 validation images per class,
        // growing patience stops a scratch ResNet after 5 epochs, while its BatchNorm statistics are still far off
        // (it then scores 0.10), which would make transfer "win" for the wrong reason (issue 6). Best weights by
        // validation loss are still kept.
        double fineTune = fit(digits, work.resolve("fine-tune"), "fine-tune", "--weights", sourceModel.toString(),
                "--max-epochs", "30", "--no-early-stopping");
        double scratch = fit(digits, work.resolve("scratch"), "scratch", "--max-epochs", "30", "--no-early-stopping");
        System.out.printf(Locale.ROOT, "digits, 10 per class, 1000 test images, source %.4f on held-out fonts:"
                + " feature-extractor %.4f, fine-tune %.4f, scratch %.4f%n", source.heldOutAccuracy(), features,
                fineTune, scratch);

        assertTrue(features > scratch, "feature extractor " + features + " did not beat scratch " + scratch);
        assertTrue(fineTune > scratch, "fine-tuning " + fineTune + " did not beat scratch " + scratch);
    }

    /** Runs {@code ./tl4j fit} and returns the test accuracy from its metrics.json. */
    private double fit(Path data, Path run, String strategy, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("fit", "--data", data.toString(), "--model", MODEL,
                "--strategy", strategy, "--seed", SEED, "--out", run.toString(),
                "--feature-cache", work.resolve("features").toString(), "--cache", work.resolve("weights").toString(),
                "--quiet"));
        args.addAll(List.of(extra));
        GlyphSource.tl4j(args.toArray(String[]::new));
        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        assertTrue(Files.isRegularFile(run.resolve("model.zip")), run + " has no model.zip");
        return metrics.get("accuracy").asDouble();
    }
}
