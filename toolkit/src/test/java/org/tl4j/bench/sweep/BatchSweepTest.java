package org.tl4j.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.bench.transfer.BenchStrategy;
import org.tl4j.bench.transfer.TargetSize;
import org.tl4j.train.RunRecord;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The sweep end to end on a tiny generated folder (2 classes x 10 images of 32 px: a bright square on noise, or
 * noise alone) with resnet-small.glyphs fine-tune-all, batch sizes 2 and 4, one epoch each: the three files, one
 * row per batch size with the values of its run.json, and a rerun that reuses the finished batches. No timing is
 * asserted.
 */
class BatchSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TempDir
    Path temp;

    /** Writes {@code perClass} noise images per class; class {@code square} has a bright square in the middle. */
    static Path folder(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String label : List.of("noise", "square")) {
            Path dir = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int v = random.nextInt(60);
                        if (label.equals("square") && x >= 8 && x < 24 && y >= 8 && y < 24) {
                            v = 230;
                        }
                        image.setRGB(x, y, (v << 16) | (v << 8) | v);
                    }
                }
                ImageIO.write(image, "png", dir.resolve(label + "-" + i + ".png").toFile());
            }
        }
        return root;
    }

    private BatchSweep.Settings settings(Path data, Path out) {
        return new BatchSweep.Settings("resnet-small.glyphs", BenchStrategy.FINE_TUNE_ALL, null, data,
                TargetSize.parse("all"), 1000, List.of(2, 4), 0.9, 1, 2, false, 1, LrScaling.NONE, temp.resolve("work"),
                out, WeightSettings.fromEnvironment().withCacheDir(temp.resolve("weights")), false);
    }

    @Test
    void writesOneRowPerBatchSizeFromItsRunAndReusesFinishedBatches() throws IOException {
        Path data = folder(temp.resolve("tiny"), 10, 3);
        Path out = temp.resolve("out");
        StringWriter log = new StringWriter();

        new BatchSweep(settings(data, out)).run(new PrintWriter(log));

        assertTrue(log.toString().contains("[batch 1/2] batch 2: running"), log.toString());
        assertTrue(log.toString().contains("[batch 2/2] batch 4: running"), log.toString());
        assertTrue(Files.size(out.resolve(SweepReport.PLOT_FILE)) > 1000);
        JsonNode results = JSON.readTree(out.resolve(SweepReport.JSON_FILE).toFile());
        assertTrue(results.get("complete").asBoolean());
        assertTrue(results.get("machine").get("nativeBuild").asText().startsWith("linux-"),
                results.get("machine").toString());
        JsonNode runs = results.get("runs");
        assertEquals(2, runs.size());
        String md = Files.readString(out.resolve(SweepReport.MARKDOWN_FILE));
        int[] batches = {2, 4};
        for (int i = 0; i < 2; i++) {
            JsonNode row = runs.get(i);
            assertEquals(batches[i], row.get("batch").asInt());
            RunRecord run = JSON.readValue(Path.of(row.get("runFolder").asText()).resolve(RunRecord.FILE_NAME)
                    .toFile(), RunRecord.class);
            assertEquals(batches[i], run.settings().batch());
            assertEquals(0.9, run.settings().stopAtAccuracy());
            assertEquals(run.stopping().reason(), row.get("stopReason").asText());
            assertEquals(run.stopping().update(), row.get("updates").asLong());
            assertEquals(run.test().accuracy(), row.get("testAccuracy").asDouble(), 0.0);
            assertEquals(run.learningRate(), row.get("learningRate").asDouble(), 0.0);
            double best = run.history().stream().mapToDouble(RunRecord.EvaluationPoint::valAccuracy).max()
                    .orElseThrow();
            assertEquals(best, row.get("bestValAccuracy").asDouble(), 0.0);
            // Two evaluations per epoch: the cadence follows the batch size.
            int perEpoch = (run.splits().train() + batches[i] - 1) / batches[i];
            assertEquals(Math.max(1, perEpoch / 2), row.get("evalEvery").asInt());
            assertEquals(Math.max(1, perEpoch / 2), run.settings().evalEvery());
            assertTrue(md.contains("\n| " + batches[i] + " | "), md);
        }

        StringWriter again = new StringWriter();
        SweepReport.Results second = new BatchSweep(settings(data, out)).run(new PrintWriter(again));
        assertTrue(again.toString().contains("[batch 1/2] batch 2: done earlier (skipped)"), again.toString());
        assertTrue(again.toString().contains("[batch 2/2] batch 4: done earlier (skipped)"), again.toString());
        assertEquals(2, second.runs().size());
        assertEquals(runs.get(1).get("updates").asLong(), second.runs().get(1).updates());
    }
}
