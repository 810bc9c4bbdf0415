package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bench pipeline runs end to end on a small model and few JPEGs (the figures themselves are not judged). */
class BenchPipelineCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsBothPathsAndTheirRatioAndWritesTheResults() throws Exception {
        CommandLine cli = Main.newCommandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text, true));
        Path out = dir.resolve("out");
        int exit = cli.execute("bench", "pipeline", "--model", "alexnet-small", "--images", "8", "--image-size",
                "60x45", "--batch", "4", "--rounds", "2", "--threads", "1", "--cache", dir.resolve("onnx").toString(),
                "--out", out.toString());
        String printed = text.toString();
        assertEquals(ExitCodes.OK, exit, printed);
        for (String line : new String[] {"rendered 8 JPEGs of 60x45", "| forward-only |", "| jpeg-pipeline |",
                "pipeline / forward-only:", "round 2/2"}) {
            assertTrue(printed.contains(line), "missing '" + line + "' in:\n" + printed);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(4, json.path("samples").size(), "two paths, two rounds");
        assertTrue(json.path("ratio_median").asDouble() > 0, json.toString());
        assertTrue(Files.readString(out.resolve("results.md")).contains("jpeg-pipeline"));
        assertEquals(0, Files.list(out.resolve("scratch")).count(), "the per-round codes caches are removed");
    }

    @Test
    void aBadImageSizeIsAUsageError() {
        assertEquals(2, Main.run("bench", "pipeline", "--image-size", "500by375", "--out", dir.toString()));
    }
}
