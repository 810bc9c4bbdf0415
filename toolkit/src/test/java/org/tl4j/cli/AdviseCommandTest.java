package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.FeatureTestData;

/** {@code tl4j advise} on a tiny folder with the untrained small ResNet: its features must be found not to help. */
class AdviseCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return CapturedRun.run(args);
    }

    @Test
    void randomWeightNetworkGetsScratchAdviceWithReasonsAndAJsonReport() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 3);
        Path report = dir.resolve("out/advice.json");
        String[] r = run("advise", "--data", data.toString(), "--model", "resnet50-small", "--taps", "res4f,avgpool",
                "--folds", "3", "--batch", "8", "--save", report.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        String out = r[1];
        assertTrue(out.contains("advice: SCRATCH"), out);
        assertTrue(out.contains("the source features do not help"), out);
        assertTrue(out.contains("no trained weights"), out);
        assertTrue(out.contains("raw pixels: probe"), out);
        assertTrue(out.matches("(?s).*avgpool +512 .*"), out);

        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals("SCRATCH", json.at("/advice/strategy").asText());
        assertEquals(2, json.get("pretrained").size());
        assertEquals("res4f", json.at("/pretrained/0/tap").asText());
        // 6 per class split 70/15/15 as fit splits them: 4 training images per class, the rest never read.
        assertEquals(8, json.at("/size/images").asInt());
        assertTrue(out.contains("training part of a stratified split"), out);
        assertTrue(json.at("/advice/reasons").size() >= 4);
    }

    @Test
    void unknownTapIsABadInputNamingTheTaps() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 4);
        String[] r = run("advise", "--data", data.toString(), "--model", "resnet50-small", "--taps", "pool9",
                "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("no tap 'pool9'") && r[2].contains("res3d"), r[2]);
    }

    @Test
    void missingGraphFileIsABadInput() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 5);
        String[] r = run("advise", "--data", data.toString(), "--model", "resnet50-small", "--graph",
                dir.resolve("nope.zip").toString(), "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("nope.zip does not exist"), r[2]);
    }

    @Test
    void aSavedGraphStandsInForTheAdaptersWeights() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 6, 6);
        Path graph = dir.resolve("source.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(org.tl4j.zoo.arch.Architectures.build(
                org.tl4j.zoo.spec.AdapterRegistry.standard().get("resnet50-small"), 5), graph.toFile(), false);
        String[] r = run("advise", "--data", data.toString(), "--model", "resnet50-small", "--graph", graph.toString(),
                "--taps", "avgpool", "--folds", "2", "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("(trained weights)") && r[1].contains("weights from " + graph.toAbsolutePath()), r[1]);
        // With a trained graph the source head's predictions give LEEP.
        assertTrue(r[1].contains("LEEP of the source head"), r[1]);
        assertTrue(r[1].contains("to follow it:") && r[1].contains("./tl4j "), r[1]);
    }
}
