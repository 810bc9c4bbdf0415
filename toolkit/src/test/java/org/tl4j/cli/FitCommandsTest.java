package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import picocli.CommandLine;

/** fit, eval and lr-find from the command line, on a tiny generated folder with resnet50-small. */
class FitCommandsTest {

    @TempDir
    Path temp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Classes with a bright bar at a class-specific column on dark seeded noise, 6 PNGs of 32 px each. */
    private static Path folder(Path root, List<String> classes) throws IOException {
        Random random = new Random(3);
        for (int c = 0; c < classes.size(); c++) {
            Path dir = Files.createDirectories(root.resolve(classes.get(c)));
            for (int i = 0; i < 6; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int v = x / 8 == c ? 230 : random.nextInt(50);
                        image.setRGB(x, y, (v << 16) | (v << 8) | v);
                    }
                }
                ImageIO.write(image, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void fitThenEvalAndLrFindOnAFeatureExtractor() throws Exception {
        Path data = folder(temp.resolve("data"), List.of("left", "middle", "right"));
        Path out = temp.resolve("run");
        String cache = temp.resolve("cache").toString();
        Run fit = run("fit", "--quiet", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "feature-extractor", "--optimizer", "adam", "--lr", "0.01", "--batch", "4", "--max-epochs", "3",
                "--feature-cache", cache, "--out", out.toString());
        assertEquals(0, fit.exitCode(), fit.err());
        assertTrue(fit.out().contains("test accuracy"), fit.out());
        for (String file : List.of("model.zip", "run.json", "metrics.json", "splits.json")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }

        // A run killed while its checkpoints were being deleted (after run.json) is complete: --resume finishes the
        // clean-up and reports the finished run, without training again.
        String metricsBefore = Files.readString(out.resolve("metrics.json"));
        Files.createDirectories(out.resolve("checkpoints")).resolve("trainer-0000000009.json").toFile().createNewFile();
        Run resumed = run("fit", "--quiet", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "feature-extractor", "--optimizer", "adam", "--lr", "0.01", "--batch", "4", "--max-epochs", "3",
                "--feature-cache", cache, "--out", out.toString(), "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertFalse(Files.exists(out.resolve("checkpoints")), "the leftover checkpoint folder is removed");
        assertEquals(metricsBefore, Files.readString(out.resolve("metrics.json")));

        Run eval = run("eval", "--quiet", "--json", "--model", out.resolve("model.zip").toString(), "--data",
                data.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode metrics = Json.MAPPER.readTree(eval.out());
        assertEquals(18, metrics.get("images").asInt());
        assertEquals(List.of("left", "middle", "right"), Json.MAPPER.convertValue(metrics.get("classNames"),
                List.class));

        Path other = folder(temp.resolve("other"), List.of("left", "right"));
        Run mismatch = run("eval", "--quiet", "--model", out.resolve("model.zip").toString(), "--data",
                other.toString());
        assertEquals(2, mismatch.exitCode());
        assertTrue(mismatch.err().contains("was trained on [left, middle, right]"), mismatch.err());

        Path curve = temp.resolve("lr.json");
        Run range = run("lr-find", "--quiet", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "feature-extractor", "--method", "range", "--batch", "4", "--feature-cache", cache, "--out",
                curve.toString());
        assertEquals(0, range.exitCode(), range.err());
        assertTrue(range.out().contains("suggested --lr"), range.out());
        JsonNode saved = Json.MAPPER.readTree(curve.toFile());
        assertTrue(saved.get("range").get("curve").size() >= 3);
        assertTrue(saved.get("suggested").asDouble() > 0);

        // Adam: the untrained trunk's features are large, so Nesterov's stable rates are tiny (below the search's
        // eight probes from 1.0); Adam's steps are bounded by the rate.
        Run bengio = run("lr-find", "--quiet", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "feature-extractor", "--optimizer", "adam", "--batch", "4", "--feature-cache", cache);
        assertEquals(0, bengio.exitCode(), bengio.err());
        assertTrue(bengio.out().contains("largest stable rate"), bengio.out());
    }

    @Test
    void eachEpochShowsProgressBetweenEvaluations() throws Exception {
        Path data = folder(temp.resolve("data"), List.of("left", "right"));
        String[] fit = CapturedRun.run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "scratch", "--optimizer", "adam", "--batch", "4", "--max-epochs", "2", "--split", "70,15,15",
                "--out", temp.resolve("run").toString());
        assertEquals("0", fit[0], fit[2]);
        // Lines, not a bar: the test's output is not a terminal. One epoch of a large folder runs for many minutes
        // between two evaluations; these lines are all the user sees of it.
        assertTrue(fit[2].contains("epoch 1/2: "), fit[2]);
        assertTrue(fit[2].contains("epoch 2/2: "), fit[2]);
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        Path data = folder(temp.resolve("data"), List.of("a", "b"));
        Path out = temp.resolve("run");
        Run dry = run("fit", "--quiet", "--dry-run", "--data", data.toString(), "--model", "resnet50-small",
                "--strategy", "fine-tune", "--discriminative", "100", "--out", out.toString());
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().matches("(?s).*stem\\s+0\\.01000\\s+0\\.000100.*"), dry.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void contradictoryOptionsAreBadInput() throws Exception {
        Path data = folder(temp.resolve("data"), List.of("a", "b"));
        Run run = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "scratch",
                "--lr-mult", "head=2", "--out", temp.resolve("run").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--lr-mult"), run.err());
        assertEquals(2, run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "sideways",
                "--out", temp.resolve("run").toString()).exitCode());
    }

    @Test
    void stopAtAccuracyShowsInThePlanAndMustBeAnAccuracy() throws Exception {
        Path data = folder(temp.resolve("data"), List.of("a", "b"));
        Path out = temp.resolve("run");
        Run dry = run("fit", "--quiet", "--dry-run", "--data", data.toString(), "--model", "resnet50-small",
                "--strategy", "scratch", "--stop-at-accuracy", "0.9", "--out", out.toString());
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("stop       at the first validation accuracy >= 0.9"), dry.out());
        Run bad = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "scratch",
                "--stop-at-accuracy", "95", "--out", out.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--stop-at-accuracy must be in (0, 1]"), bad.err());
        assertFalse(Files.exists(out));
    }
}
