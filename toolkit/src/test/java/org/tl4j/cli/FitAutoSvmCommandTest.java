package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.FeatureTestData;

/**
 * {@code fit --strategy auto} and {@code fit --strategy svm} on a tiny folder with the small ResNet (no pretrained
 * weights): auto must be advised to train from scratch and do so; an SVM on the codes of the network it trained
 * writes the same run files as the other strategies, and {@code eval} scores it.
 */
class FitAutoSvmCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return CapturedRun.run(args);
    }

    @Test
    void autoTrainsFromScratchThenAnSvmOnItsCodesWritesTheRunFilesAndEvaluates() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 8, 3);
        Path auto = dir.resolve("auto");
        String[] r = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "auto",
                "--batch", "4", "--max-epochs", "1", "--out", auto.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("advice: SCRATCH"), r[1]);
        assertTrue(r[1].contains("the source features do not help"), r[1]);
        assertTrue(r[1].contains("carrying it out: fit --strategy scratch"), r[1]);

        JsonNode runJson = JSON.readTree(auto.resolve("run.json").toFile());
        assertEquals("scratch", runJson.get("strategy").asText());
        assertEquals("SCRATCH", runJson.at("/advice/strategy").asText());
        assertTrue(runJson.at("/advice/reasons").size() >= 4, runJson.toString());
        assertEquals("adam", runJson.at("/settings/optimizer/method").asText().toLowerCase(java.util.Locale.ROOT),
                runJson.at("/settings").toString());
        JsonNode advice = JSON.readTree(auto.resolve("advice.json").toFile());
        assertEquals("SCRATCH", advice.at("/advice/strategy").asText());
        assertFalse(advice.get("pretrained").isEmpty());
        assertTrue(Files.isRegularFile(auto.resolve("model.zip")) && Files.isRegularFile(auto.resolve("metrics.json")));
        assertTrue(Files.readString(auto.resolve("report.md")).contains("Advice"));

        // svm without trained weights: one line naming the fix
        Path svm = dir.resolve("svm");
        r = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "svm", "--tap", "res4f",
                "--out", svm.toString(), "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--weights RUN/model.zip"), r[2]);

        r = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "svm", "--tap", "res4f",
                "--weights", auto.resolve("model.zip").toString(), "--batch", "8", "--out", svm.toString(),
                "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("SVM at tap res4f"), r[1]);
        JsonNode svmRun = JSON.readTree(svm.resolve("run.json").toFile());
        assertEquals("svm", svmRun.get("strategy").asText());
        assertEquals("res4f", svmRun.get("tap").asText());
        assertTrue(svmRun.at("/svm/grid").size() >= 2, svmRun.toString());
        double c = svmRun.at("/svm/c").asDouble();
        boolean chosenFromGrid = false;
        for (JsonNode t : svmRun.at("/svm/grid")) {
            chosenFromGrid |= t.get("c").asDouble() == c;
        }
        assertTrue(chosenFromGrid, svmRun.toString());
        assertTrue(Files.readString(svm.resolve("report.md")).contains("(svm)"));
        assertFalse(svmRun.at("/weights/sha256").asText().isEmpty(), svmRun.toString());
        // same seeded splits as the scratch run
        assertEquals(Files.readString(auto.resolve("splits.json")), Files.readString(svm.resolve("splits.json")));
        JsonNode metrics = JSON.readTree(svm.resolve("metrics.json").toFile());
        assertEquals("test", metrics.get("split").asText());
        assertEquals(svmRun.at("/splits/test").asInt(), metrics.get("images").asInt());
        assertEquals(2, metrics.get("confusion").size());
        assertEquals(metrics.get("images").asInt(), metrics.get("confusion").get(0).get(0).asInt()
                + metrics.get("confusion").get(0).get(1).asInt() + metrics.get("confusion").get(1).get(0).asInt()
                + metrics.get("confusion").get(1).get(1).asInt());

        // eval of the SVM bundle: needs the network its codes came from
        r = run("eval", "--model", svm.resolve("model.zip").toString(), "--data", data.toString(), "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--weights RUN/model.zip"), r[2]);
        r = run("eval", "--model", svm.resolve("model.zip").toString(), "--data", data.toString(), "--weights",
                auto.resolve("model.zip").toString(), "--json", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        JsonNode evaluated = JSON.readTree(r[1]);
        assertEquals(16, evaluated.get("images").asInt());
        assertEquals(java.util.List.of("horizontal", "vertical"),
                JSON.convertValue(evaluated.get("classNames"), java.util.List.class));
    }

    @Test
    void autoDryRunPrintsTheAdviceAndWritesNothingAndAnUnknownStrategyNamesAllFive() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 4);
        String[] r = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "auto",
                "--batch", "4", "--dry-run", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("advice: SCRATCH") && r[1].contains("carrying it out: fit --strategy scratch"), r[1]);
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(dir.resolve("data")), files.toList());
        }
        r = run("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "linear", "--out",
                dir.resolve("x").toString(), "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("use fine-tune, feature-extractor, scratch, svm or auto"), r[2]);
    }

    @Test
    void svmOnAShippedPretrainedAdapterEvaluatesWithoutExtraWeights() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 8, 5);
        Path svm = dir.resolve("svm");
        String cache = dir.resolve("cache").toString();
        String[] r = run("fit", "--data", data.toString(), "--model", "resnet-small.glyphs", "--strategy", "svm",
                "--tap", "res4f", "--cache", cache, "--feature-cache", dir.resolve("features").toString(),
                "--batch", "8", "--out", svm.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        JsonNode svmRun = JSON.readTree(svm.resolve("run.json").toFile());
        assertEquals("pretrained", svmRun.at("/weights/kind").asText());
        r = run("eval", "--model", svm.resolve("model.zip").toString(), "--data", data.toString(), "--cache", cache,
                "--json", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        JsonNode evaluated = JSON.readTree(r[1]);
        assertEquals(16, evaluated.get("images").asInt());
        assertEquals(1, evaluated.get("topK").asInt());
    }
}
