package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.Splits;
import org.tl4j.zoo.spec.InputSpec;
import picocli.CommandLine.ParseResult;

/** inspect, split and bench iterate: argument parsing, usage errors, and what they print and write. */
class DataCommandsTest {

    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one CLI run in this JVM. */
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

    private static Object command(String... args) {
        ParseResult result = Main.newCommandLine().parseArgs(args);
        while (result.subcommand() != null) {
            result = result.subcommand();
        }
        return result.commandSpec().userObject();
    }

    /** Two classes of 1x1 PNGs, 10 images each. */
    private Path tinyData() throws Exception {
        Path data = dir.resolve("data");
        for (String cls : List.of("cat", "dog")) {
            Files.createDirectories(data.resolve(cls));
            for (int i = 0; i < 10; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(1, 1,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                image.setRGB(0, 0, i * 20);
                javax.imageio.ImageIO.write(image, "png", data.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        return data;
    }

    @Test
    void argumentsParseWithoutRunning() {
        InspectCommand inspect = (InspectCommand) command("inspect", "--data", "some/dir", "--json");
        assertEquals(Path.of("some/dir"), inspect.data);
        assertTrue(inspect.json);

        SplitCommand split = (SplitCommand) command("split", "--data", "d", "--out", "r", "--seed", "9",
                "--fractions", "80,10,10");
        assertEquals(9, split.seed);
        assertEquals(new Splits.Fractions(0.8, 0.1, 0.1), split.fractions);
        SplitCommand defaults = (SplitCommand) command("split", "--data", "d", "--out", "r");
        assertEquals(Splits.DEFAULT_SEED, defaults.seed);
        assertEquals(Splits.Fractions.DEFAULT, defaults.fractions);

        BenchIterateCommand bench = (BenchIterateCommand) command("bench", "iterate", "--data", "d", "--epochs", "3",
                "--batch", "32", "--size", "64", "--channel-order", "gray");
        assertEquals(3, bench.epochs);
        assertEquals(32, bench.batch);
        assertEquals(64, bench.size);
        assertEquals(InputSpec.ChannelOrder.GRAY, bench.channelOrder);
        BenchIterateCommand benchDefaults = (BenchIterateCommand) command("bench", "iterate", "--data", "d");
        assertEquals(2, benchDefaults.epochs);
        assertEquals(64, benchDefaults.batch);
        assertEquals(28, benchDefaults.size);
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        for (String[] args : List.of(new String[] {"inspect"}, new String[] {"split", "--data", "d"},
                new String[] {"split", "--data", "d", "--out", "r", "--fractions", "70,20"},
                new String[] {"bench"}, new String[] {"bench", "iterate", "--data", "d", "--batch", "many"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("tl4j: error: "), r.err());
        }
    }

    @Test
    void inspectOnAMissingFolderExitsTwo() {
        Run r = run("inspect", "--data", dir.resolve("missing").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("missing"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void inspectPrintsCountsSizesAndRejectedFiles() throws Exception {
        Path data = tinyData();
        Files.writeString(data.resolve("dog/notes.png"), "text, not an image");
        Run json = run("inspect", "--data", data.toString(), "--json", "--quiet",
                "--save-manifest", dir.resolve("m.json").toString());
        assertEquals(0, json.exit(), json.err());
        JsonNode summary = Json.MAPPER.readTree(json.out());
        assertEquals(10, summary.get("classCounts").get("cat").asInt());
        assertEquals(10, summary.get("classCounts").get("dog").asInt());
        assertEquals(1.0, summary.get("imbalanceRatio").asDouble());
        assertEquals(20, summary.get("sizeHistogram").get("1-16 x 1-16").asInt());
        assertTrue(summary.get("rejected").get("dog/notes.png").asText().contains("not an image"));
        assertTrue(Files.exists(dir.resolve("m.json")));

        Run text = run("inspect", "--data", data.toString(), "--quiet");
        assertEquals(0, text.exit());
        assertTrue(text.out().contains("dog/notes.png: not an image"), text.out());
        assertTrue(text.out().contains("imbalance (largest/smallest) 1.00"), text.out());
    }

    @Test
    void splitWritesThenReusesSplitsJson() throws Exception {
        Path data = tinyData();
        Path runDir = dir.resolve("run");
        Run first = run("split", "--data", data.toString(), "--out", runDir.toString(), "--quiet");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("wrote"), first.out());
        assertTrue(first.out().contains("cat"), first.out());
        assertTrue(Files.exists(runDir.resolve("splits.json")));
        Run second = run("split", "--data", data.toString(), "--out", runDir.toString(), "--quiet");
        assertTrue(second.out().startsWith("reused"), second.out());
        Files.delete(data.resolve("cat/0.png"));
        Run changed = run("split", "--data", data.toString(), "--out", runDir.toString(), "--quiet");
        assertEquals(2, changed.exit());
        assertTrue(changed.err().contains("changed"), changed.err());
    }

    @Test
    void benchIteratePrintsSpeedAndMemory() throws Exception {
        Path data = tinyData();
        Run r = run("bench", "iterate", "--data", data.toString(), "--epochs", "2", "--batch", "8", "--size", "4",
                "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("epoch 2: 20 images"), r.out());
        assertTrue(r.out().contains("images/s"), r.out());
        assertTrue(r.out().contains("peak heap"), r.out());
        assertTrue(r.out().contains("peak RSS"), r.out());
    }
}
