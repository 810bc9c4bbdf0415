package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;

/** {@code tl4j fit --engine}: the feature extractor featurizes on the chosen engine and run.json records it. */
class FitEngineTest {

    @TempDir
    Path temp;

    @Test
    void featureExtractorFeaturizesOnOnnxRuntimeAndRecordsIt() throws Exception {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        Path out = temp.resolve("run");
        assertEquals(0, Main.run("fit", "--quiet", "--data", data.toString(), "--model", "resnet50-small",
                "--strategy", "feature-extractor", "--lr", "0.01", "--batch", "4", "--max-epochs", "2",
                "--feature-cache", temp.resolve("features").toString(), "--engine", "onnxruntime", "--out",
                out.toString()));
        JsonNode engine = new ObjectMapper().readTree(out.resolve(RunRecord.FILE_NAME).toFile())
                .path("featureCache").path("engine");
        assertEquals("onnxruntime", engine.path("engine").asText(), engine.toString());
        assertEquals("onnxruntime", engine.path("requested").asText(), engine.toString());
        assertEquals("asked for onnxruntime", engine.path("reason").asText(), engine.toString());
        assertTrue(engine.has("parity_rel_error"), engine.toString());
    }

    @Test
    void autoRecordsTheParityCheckOrWhyItFellBack() throws Exception {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        Path out = temp.resolve("run");
        assertEquals(0, Main.run("fit", "--quiet", "--data", data.toString(), "--model", "resnet50-small",
                "--strategy", "feature-extractor", "--lr", "0.01", "--batch", "4", "--max-epochs", "1",
                "--feature-cache", temp.resolve("features").toString(), "--out", out.toString()));
        JsonNode engine = new ObjectMapper().readTree(out.resolve(RunRecord.FILE_NAME).toFile())
                .path("featureCache").path("engine");
        assertEquals("auto", engine.path("requested").asText(), engine.toString());
        if ("onnxruntime".equals(engine.path("engine").asText())) {
            assertTrue(engine.path("parity_rel_error").asDouble() < 1e-4, engine.toString());
        } else {
            assertEquals("nd4j", engine.path("engine").asText(), engine.toString());
            assertTrue(engine.path("reason").asText().startsWith("onnxruntime"), engine.toString());
        }
    }
}
