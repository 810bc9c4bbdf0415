package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's "the benchmark recipe runs end to end on a reduced grid": recipes/transfer-bench.sh --reduced (one
 * source, both real targets, 10 images per class, one seed, few epochs) with the shipped resnet-small.glyphs, and
 * what it wrote: every cell of the grid (7 strategies and auto-trial, per target) in results.json with a test
 * accuracy in [0, 1], scratch and transfer cells, the choices of auto and auto-trial, the table in results.md and a
 * drawn plot; then a second run skips every finished cell.
 * It asserts structure, not a transfer win: at 10 images per class and two epochs any strategy may be at chance.
 */
class TransferBenchRecipeTest {

    private static final List<String> TARGETS = List.of("digits", "fashion5-9");
    private static final List<String> STRATEGIES = List.of("linear", "svm-top", "svm-earlier", "fine-tune-top",
            "fine-tune-all", "scratch", "auto", "auto-trial");

    @TempDir
    Path dir;

    @Test
    void reducedGridWritesEveryCellTheTableAndThePlotAndResumes() throws Exception {
        Path work = dir.resolve("bench");
        String log = runRecipe(work);
        Path results = work.resolve("results");

        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        int expected = TARGETS.size() * STRATEGIES.size();
        assertTrue(json.get("complete").asBoolean(), log);
        assertEquals(expected, json.get("cellsTotal").asInt(), "one source x 2 targets x 8 strategies");
        JsonNode cells = json.get("cells");
        assertEquals(expected, cells.size(), log);
        Set<String> seen = new HashSet<>();
        for (JsonNode cell : cells) {
            String key = cell.get("target").asText() + "/" + cell.get("strategy").asText();
            assertTrue(seen.add(key), "each target x strategy once: " + key);
            assertEquals("resnet-small.glyphs", cell.get("source").asText());
            assertEquals("10", cell.get("size").asText());
            assertEquals(10, cell.get("trainPerClass").asInt(), key);
            double accuracy = cell.get("accuracy").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, key + " accuracy " + accuracy);
            assertEquals(cell.get("target").asText().equals("digits") ? 1000 : 5000, cell.get("testImages").asInt(),
                    key + ": 20% of the digit sheet, or Fashion-MNIST's 1,000 test images per class");
            assertTrue(cell.get("wallSeconds").asDouble() > 0, key);
            assertTrue(Files.exists(Path.of(cell.get("runFolder").asText()).resolve("metrics.json")), key);
            String stop = cell.get("stopReason").asText();
            // An auto cell runs what the selector chose, an SVM included.
            String ran = cell.get("strategy").asText().startsWith("auto") ? cell.get("autoChoice").asText()
                    : cell.get("strategy").asText();
            if (ran.startsWith("svm")) {
                assertEquals("svm", stop, key);
            } else {
                assertTrue(stop.equals("early-stopping") || stop.equals("max-epochs"), key + " stopped by " + stop);
                assertTrue(cell.get("epochs").asInt() >= 1 && cell.get("epochs").asInt() <= 2, key);
            }
            if (cell.get("strategy").asText().startsWith("auto")) {
                assertTrue(STRATEGIES.contains(cell.get("autoChoice").asText()), key + ": auto's choice is named");
            }
        }
        for (String target : TARGETS) {
            for (String strategy : STRATEGIES) {
                assertTrue(seen.contains(target + "/" + strategy), "missing cell " + target + "/" + strategy);
            }
        }
        // An auto cell that reused a fixed cell's run reports that run's accuracy and folder.
        for (JsonNode cell : cells) {
            JsonNode same = cell.get("sameRunAs");
            if (same != null && !same.isNull()) {
                JsonNode fixed = cellOf(cells, cell.get("target").asText(), same.asText());
                assertEquals(fixed.get("accuracy").asDouble(), cell.get("accuracy").asDouble(), cell.toString());
                assertEquals(fixed.get("runFolder").asText(), cell.get("runFolder").asText(), cell.toString());
            }
        }
        JsonNode groups = json.get("summary").get("groups");
        assertEquals(2, groups.size(), "one row per source x target x size");
        for (JsonNode g : groups) {
            assertTrue(g.get("regret").isNumber(), "auto ran, so there is a regret: " + g);
            assertTrue(g.get("trialRegret").isNumber(), "auto-trial ran, so there is its regret: " + g);
            assertTrue(g.get("bestTransferMinusScratch").isNumber(), g.toString());
        }
        assertTrue(json.get("summary").get("meanRegret").isNumber());

        String md = Files.readString(results.resolve("results.md"), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# Transfer benchmark\n\nComplete: 16 of 16 cells"), md);
        for (String strategy : STRATEGIES) {
            assertTrue(md.contains("| " + strategy + " |"), "results.md has a column for " + strategy);
        }
        assertTrue(md.contains("| resnet-small.glyphs | digits | 10 |"), md);
        assertTrue(md.contains("| resnet-small.glyphs | fashion5-9 | 10 |"), md);
        assertTrue(md.contains("Selector's mean regret (auto): "), md);
        assertTrue(md.contains("Selector's mean regret (auto-trial): "), md);

        BufferedImage plot = ImageIO.read(results.resolve("transfer-accuracy.png").toFile());
        assertNotNull(plot, "transfer-accuracy.png is a PNG");
        assertTrue(plot.getWidth() >= 900 && plot.getHeight() >= 600);
        assertTrue(distinctColours(plot) > 7, "the plot draws bars in several colours, not a blank image");
        assertTrue(log.contains("transfer-bench: finished in "), log);

        String again = runRecipe(work);
        assertEquals(expected, again.split(java.util.regex.Pattern.quote("(skipped)"), -1).length - 1, "a rerun skips every finished cell:\n"
                + again);
        assertFalse(again.contains(": running"), again);
    }

    private static JsonNode cellOf(JsonNode cells, String target, String strategy) {
        for (JsonNode cell : cells) {
            if (cell.get("target").asText().equals(target) && cell.get("strategy").asText().equals(strategy)) {
                return cell;
            }
        }
        throw new AssertionError("no " + target + "/" + strategy + " cell");
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** bash recipes/transfer-bench.sh --reduced WORK with its own caches; stdout + stderr, failing on exit != 0. */
    private String runRecipe(Path work) throws IOException, InterruptedException {
        Path log = dir.resolve("transfer-bench-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder("bash",
                Tl4jProcess.REPO_ROOT.resolve("recipes/transfer-bench.sh").toString(), "--reduced", work.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("TL4J_CACHE", dir.resolve("cache").toString());
        builder.environment().put("TL4J_BENCH_SOURCES", "resnet-small.glyphs");
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(900, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("transfer-bench.sh --reduced did not finish in 900 s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "transfer-bench.sh failed:\n" + output);
        return output;
    }
}
