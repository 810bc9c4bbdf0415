package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.infer.Engines;
import org.tl4j.train.FeatureTestData;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** {@code --engine} on the commands that run a frozen network: the chosen engine runs and is reported. */
class EngineOptionsTest {

    @TempDir
    Path dir;

    @Test
    void extractRunsOnTheChosenEngineWithTheSameCodes() throws Exception {
        Path images = FeatureTestData.stripes(dir.resolve("images"), 3, 1);
        Codes[] codes = new Codes[2];
        String[] engines = {"nd4j", "onnxruntime"};
        for (int i = 0; i < engines.length; i++) {
            Path out = dir.resolve("codes-" + engines[i] + ".npz");
            // Separate caches: a shared one would hand the second run the first run's codes.
            String[] r = run("extract", "--model", "resnet50-small", "--untrained", "--tap", "res3d", "--data",
                    images.toString(), "--out", out.toString(), "--feature-cache",
                    dir.resolve("cache-" + engines[i]).toString(), "--engine", engines[i], "--quiet");
            assertEquals("0", r[0], r[1] + r[2]);
            assertTrue(r[1].contains("engine: " + engines[i] + " (asked for " + engines[i] + ")"), r[1]);
            codes[i] = CodesFiles.read(out);
        }
        assertEquals(codes[0].rows(), codes[1].rows());
        assertEquals(codes[0].dim(), codes[1].dim());
        double error = Engines.relativeError(codes[1].matrix(), codes[0].matrix());
        assertTrue(error < 1e-4, "onnxruntime vs nd4j codes: " + error);
        assertNotEquals(0.0, codes[0].matrix().amaxNumber().doubleValue(), "codes are not all zero");
    }

    @Test
    void extractDefaultsToAutoAndSaysWhy() throws Exception {
        Path images = FeatureTestData.stripes(dir.resolve("images"), 2, 1);
        String[] r = run("extract", "--model", "resnet50-small", "--untrained", "--tap", "res3d", "--data",
                images.toString(), "--out", dir.resolve("c.csv").toString(), "--feature-cache",
                dir.resolve("cache").toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].matches("(?s).*engine: (onnxruntime \\(parity|nd4j \\(onnxruntime).*"), r[1]);
    }

    @Test
    void predictRunsOnTheChosenEngineWithTheSameScores() throws Exception {
        Path zip = twoClassModel();
        Path images = FeatureTestData.stripes(dir.resolve("images"), 2, 1);
        Map<String, Double> nd4j = null;
        for (String engine : new String[] {"nd4j", "onnxruntime"}) {
            String[] r = run("predict", "--model", zip.toString(), images.toString(), "--top", "2", "--csv",
                    "--engine", engine);
            assertEquals("0", r[0], r[1] + r[2]);
            assertTrue(r[2].contains("engine " + engine + " (asked for " + engine + ")"), r[2]);
            Map<String, Double> scores = new HashMap<>();
            r[1].lines().skip(1).forEach(line -> {
                int cut = line.lastIndexOf(',');
                scores.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
            });
            assertEquals(4 * 2, scores.size(), r[1]);
            if (nd4j == null) {
                nd4j = scores;
            } else {
                for (Map.Entry<String, Double> e : nd4j.entrySet()) {
                    assertEquals(e.getValue(), scores.get(e.getKey()), 1e-4, e.getKey());
                }
            }
        }
    }

    @Test
    void evalRunsOnTheChosenEngineWithTheSameMetrics() throws Exception {
        Path zip = twoClassModel();
        Path images = FeatureTestData.stripes(dir.resolve("images"), 3, 2);
        double[] loss = new double[2];
        String[] engines = {"nd4j", "onnxruntime"};
        for (int i = 0; i < engines.length; i++) {
            String[] r = run("eval", "--model", zip.toString(), "--data", images.toString(), "--batch", "4",
                    "--json", "--engine", engines[i]);
            assertEquals("0", r[0], r[1] + r[2]);
            assertTrue(r[2].contains("engine " + engines[i] + " (asked for " + engines[i] + ")"), r[2]);
            com.fasterxml.jackson.databind.JsonNode metrics = Json.MAPPER.readTree(r[1]);
            assertEquals(6, metrics.path("images").asInt(), r[1]);
            loss[i] = metrics.path("meanLoss").asDouble();
        }
        assertEquals(loss[0], loss[1], 1e-4 * Math.max(1, Math.abs(loss[0])));
    }

    /** An alexnet-small with a new seeded 2-class head for FeatureTestData's stripes classes. */
    private Path twoClassModel() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = HeadSurgery.apply(Architectures.build(spec, 4), spec,
                HeadSpecification.linear(2).withSeed(1)).graph();
        Path zip = dir.resolve("run").resolve("model.zip");
        Files.createDirectories(zip.getParent());
        new TrainedModel(graph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION, spec.id(), "fine-tune",
                "fc7", TrainedModel.InputDescription.of(spec.input()), List.of("horizontal", "vertical"),
                HeadSurgery.CLASSIFIER)).save(zip);
        return zip;
    }

    @Test
    void unknownEngineIsAUsageError() {
        String[] r = run("extract", "--model", "resnet50-small", "--untrained", "--data", dir.toString(), "--out",
                dir.resolve("c.csv").toString(), "--engine", "tensorrt");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--engine"), r[2]);
    }

    /** {exit code, stdout, stderr}: {@link CapturedRun}, under the short name the tests above use. */
    static String[] run(String... args) {
        return CapturedRun.run(args);
    }
}
