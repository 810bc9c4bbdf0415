package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** {@code tl4j predict} on a saved alexnet-small model with a 3-class head (seeded, untrained). */
class PredictCommandTest {

    @TempDir
    static Path dir;
    static Path zip;
    static Path images;

    @BeforeAll
    static void modelAndImages() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = HeadSurgery.apply(Architectures.build(spec, 4), spec,
                HeadSpecification.linear(3).withSeed(1)).graph();
        zip = dir.resolve("run").resolve("model.zip");
        Files.createDirectories(zip.getParent());
        new TrainedModel(graph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION, spec.id(), "fine-tune",
                "fc7", TrainedModel.InputDescription.of(spec.input()), List.of("cat", "dog", "owl"),
                HeadSurgery.CLASSIFIER)).save(zip);
        images = dir.resolve("images");
        Files.createDirectories(images.resolve("sub"));
        // Two small pictures (a red square on blue, a green bar on white) and one file that is not an image.
        ImageIO.write(picture(80, 60, Color.BLUE, Color.RED), "png", images.resolve("a.png").toFile());
        ImageIO.write(picture(50, 90, Color.WHITE, Color.GREEN), "png", images.resolve("sub/b.png").toFile());
        Files.writeString(images.resolve("broken.jpg"), "not a jpeg");
        Files.writeString(images.resolve("notes.txt"), "ignored: no image extension");
    }

    private static BufferedImage picture(int w, int h, Color background, Color shape) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, w, h);
        g.setColor(shape);
        g.fillRect(w / 4, h / 4, w / 3, h / 2);
        g.dispose();
        return image;
    }

    @Test
    void csvListsTopClassesOfEveryReadableImageAndReportsTheBrokenOne() {
        Run r = run("predict", "--model", zip.toString(), images.toString(), "--top", "3", "--csv");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("file,rank,class,probability", lines.get(0));
        assertEquals(1 + 2 * 3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith(images.resolve("a.png") + ",1,"), lines.get(1));
        assertTrue(r.err().contains("skipped " + images.resolve("broken.jpg")), r.err());
        assertFalse(r.out().contains("notes.txt"));
        // All three classes listed: probabilities sum to one and decrease with rank.
        double sum = 0;
        double previous = 2;
        for (String line : lines.subList(1, 4)) {
            double p = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
            assertTrue(p <= previous);
            previous = p;
            sum += p;
        }
        assertEquals(1.0, sum, 1e-4);
    }

    @Test
    void jsonGivesFileAndRankedClasses() throws Exception {
        Run r = run("predict", "--model", zip.toString(), images.resolve("a.png").toString(), "--top", "2",
                "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        JsonNode node = Json.MAPPER.readTree(r.out());
        assertEquals(1, node.size());
        assertEquals(2, node.get(0).get("top").size());
        assertTrue(List.of("cat", "dog", "owl").contains(node.get(0).get("top").get(0).get("name").asText()));
    }

    @Test
    void denseWritesAHeatMapOfTwiceTheInputSize() throws Exception {
        Path out = dir.resolve("heat");
        Run r = run("predict", "--model", zip.toString(), images.resolve("a.png").toString(), "--dense", "--out",
                out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        BufferedImage heat = ImageIO.read(out.resolve("a.png.dense.png").toFile());
        assertEquals(128, heat.getWidth());
        assertEquals(128, heat.getHeight());
    }

    @Test
    void userErrorsEndInOneLineAndExitTwo() throws Exception {
        Path text = dir.resolve("model.txt");
        Files.writeString(text, "not a model");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String a = images.resolve("a.png").toString();
        String broken = images.resolve("broken.jpg").toString();
        String[][] cases = {
                {"predict", "--model", dir.resolve("missing.zip").toString(), a},
                {"predict", "--model", text.toString(), a},
                {"predict", "--model", zip.toString(), empty.toString()},
                {"predict", "--model", zip.toString(), dir.resolve("nope.png").toString()},
                {"predict", "--model", zip.toString(), a, "--top", "0"},
                {"predict", "--model", zip.toString(), a, "--out", dir.toString()},
                {"predict", "--model", zip.toString(), a, "--dense", "--dense-scale", "0"},
                {"predict", "--model", zip.toString(), broken},
                {"predict", "--model", zip.toString(), a, "--json", "--csv"},
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
