package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.Pooling;
import org.tl4j.svm.SvmModel;
import org.tl4j.svm.SvmOnActivations;
import org.tl4j.svm.SvmOptions;
import org.tl4j.train.FeatureTestData;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * {@code tl4j predict} on an SVM-on-activations bundle: a linear SVM fitted on codes of a seeded, untrained
 * resnet50-small over tiny striped images; the CLI, image by image, must agree with {@link SvmModel#predict}.
 */
class PredictSvmCommandTest {

    @TempDir
    static Path dir;
    static Path images;
    static Path svmZip;
    static Path graphZip;
    static SvmModel svm;
    static ComputationGraph graph;
    static AdapterSpec spec;

    @BeforeAll
    static void svmBundleAndImages() throws Exception {
        spec = AdapterRegistry.standard().get("resnet50-small");
        graph = Architectures.build(spec, 5);
        images = FeatureTestData.stripes(dir.resolve("images"), 6, 4);
        CnnCodes codes = CnnCodes.of(spec, graph).tap("res4f").pooling(Pooling.AVG_MAX).l2Normalize(true)
                .cacheFolder(dir.resolve("cache")).progress(false);
        svm = SvmOnActivations.fit(codes, images, SvmOptions.defaults()).model();
        svmZip = dir.resolve("svm.zip");
        svm.save(svmZip);
        graphZip = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphZip.toFile(), false);
    }

    @Test
    void predictGivesTheSameClassesAsTheSvmModel() throws Exception {
        Run r = run("predict", "--model", svmZip.toString(), "--graph", graphZip.toString(), images.toString(),
                "--top", "2", "--csv", "--quiet");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("file,rank,class,decision-value", lines.get(0));
        Map<String, String> cli = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f[1].equals("1")) {
                cli.put(Path.of(f[0]).getFileName().toString(), f[2]);
            }
        }
        CnnCodes reference = CnnCodes.of(spec, graph).cacheFolder(dir.resolve("cache")).progress(false);
        Codes codes = svm.codesOf(images, reference);
        List<String> expected = svm.predictClasses(codes);
        assertEquals(codes.rows(), cli.size(), r.out());
        for (int i = 0; i < codes.rows(); i++) {
            String file = Path.of(codes.path(i)).getFileName().toString();
            assertEquals(expected.get(i), cli.get(file), file);
        }
        assertEquals(1 + 2 * codes.rows(), lines.size());
    }

    @Test
    void jsonListsRankedClassesOfOneImage() throws Exception {
        Path one = images.resolve("vertical").toFile().listFiles()[0].toPath();
        Run r = run("predict", "--model", svmZip.toString(), "--graph", graphZip.toString(), one.toString(),
                "--json", "--quiet");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        JsonNode node = Json.MAPPER.readTree(r.out());
        assertEquals(1, node.size());
        JsonNode top = node.get(0).get("top");
        assertEquals(2, top.size());
        assertTrue(top.get(0).get("score").asDouble() >= top.get(1).get("score").asDouble());
        // Two classes: one decision value, each class gets it with opposite signs.
        assertEquals(0.0, top.get(0).get("score").asDouble() + top.get(1).get("score").asDouble(), 1e-5);
    }

    @Test
    void denseAndWrongGraphAreOneLineUserErrors() throws Exception {
        Path one = images.resolve("vertical").toFile().listFiles()[0].toPath();
        Path otherGraph = dir.resolve("other.zip");
        ModelSerializer.writeModel(Architectures.build(spec, 6), otherGraph.toFile(), false);
        String[][] cases = {
                {"predict", "--model", svmZip.toString(), "--graph", graphZip.toString(), one.toString(), "--dense"},
                {"predict", "--model", svmZip.toString(), "--graph", otherGraph.toString(), one.toString()},
                // resnet50-small has no pretrained weights: without --graph the error says to pass one.
                {"predict", "--model", svmZip.toString(), one.toString()},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), String.join(" ", args) + "\n" + r.err());
            List<String> errorLines = r.err().lines().filter(l -> l.startsWith("tl4j: error")).toList();
            assertEquals(1, errorLines.size(), r.err());
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
