package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.FeatureTestData;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;

/**
 * {@code advise --engine}: the selector's frozen passes (codes at every tap of both networks, the source head for
 * LEEP) on ONNX Runtime give the same advice and scores as on ND4J.
 */
class AdviseEngineTest {

    @TempDir
    Path dir;

    private JsonNode advise(Path data, Path graph, String engine) throws Exception {
        String[] r = CapturedRun.run("advise", "--data", data.toString(), "--model", "resnet50-small", "--graph",
                graph.toString(), "--taps", "res3d,res4f,avgpool", "--folds", "3", "--batch", "8", "--engine", engine,
                "--json", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        return new ObjectMapper().readTree(r[1]);
    }

    @Test
    void onnxRuntimeGivesTheSameAdviceAndScoresAsNd4j() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 12, 8);
        Path graph = dir.resolve("source.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(Architectures.build(
                AdapterRegistry.standard().get("resnet50-small"), 5), graph.toFile(), false);
        JsonNode nd4j = advise(data, graph, "nd4j");
        JsonNode ort = advise(data, graph, "onnxruntime");

        assertEquals("nd4j", nd4j.at("/engines/pretrained/engine").asText(), nd4j.at("/engines").toString());
        assertEquals("onnxruntime", ort.at("/engines/pretrained/engine").asText(), ort.at("/engines").toString());
        assertEquals("onnxruntime", ort.at("/engines/random/engine").asText(), ort.at("/engines").toString());
        assertEquals(nd4j.at("/advice/strategy"), ort.at("/advice/strategy"));
        assertEquals(nd4j.at("/advice/tap"), ort.at("/advice/tap"));
        for (String network : new String[] {"pretrained", "randomInit"}) {
            assertEquals(3, nd4j.get(network).size());
            for (int i = 0; i < 3; i++) {
                JsonNode a = nd4j.get(network).get(i);
                JsonNode b = ort.get(network).get(i);
                String what = network + " " + a.get("tap").asText();
                assertEquals(a.get("probeAccuracy").asDouble(), b.get("probeAccuracy").asDouble(), 1e-9, what);
                assertEquals(a.get("logMe").asDouble(), b.get("logMe").asDouble(),
                        1e-4 * Math.max(1, Math.abs(a.get("logMe").asDouble())), what);
                assertEquals(a.get("hScore").asDouble(), b.get("hScore").asDouble(),
                        1e-3 * Math.max(1, Math.abs(a.get("hScore").asDouble())), what);
            }
        }
        // The source head's pass (LEEP) ran on ONNX Runtime too.
        assertTrue(nd4j.get("leep").isNumber(), nd4j.toString());
        assertEquals(nd4j.get("leep").asDouble(), ort.get("leep").asDouble(), 1e-4);
        assertEquals(nd4j.get("rawPixelProbe").asDouble(), ort.get("rawPixelProbe").asDouble(), 0.0);
    }

    @Test
    void autoSaysWhichEngineRanAndWhy() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 9);
        String[] r = CapturedRun.run("advise", "--data", data.toString(), "--model", "resnet50-small", "--taps",
                "avgpool", "--folds", "2", "--batch", "4", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].matches("(?s).*note: frozen passes of the pretrained network on (onnxruntime \\(parity"
                + "|nd4j \\(onnxruntime).*"), r[1]);
    }
}
