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

/** bench fe-end-to-end runs extract and fit on a few rendered JPEGs and reports both (figures not judged). */
class BenchFeEndToEndCommandTest {

    @TempDir
    Path dir;

    @Test
    void timesCodesOnceAndTheFeatureExtractorRunAndWritesTheResults() throws Exception {
        CommandLine cli = Main.newCommandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text, true));
        Path out = dir.resolve("out");
        int exit = cli.execute("bench", "fe-end-to-end", "--quiet", "--model", "resnet50-small", "--images", "24",
                "--classes", "2", "--image-size", "40x30", "--batch", "4", "--out", out.toString());
        String printed = text.toString();
        assertEquals(ExitCodes.OK, exit, printed);
        for (String line : new String[] {"codes-once: ./tl4j extract", "fe-end-to-end: ./tl4j fit",
                "fe-end-to-end / codes-once:", "fit's time: featurize train/val/test"}) {
            assertTrue(printed.contains(line), "missing '" + line + "' in:\n" + printed);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, json.path("sides").size());
        assertTrue(json.path("ratio").asDouble() > 0, json.toString());
        assertTrue(json.path("fit_epochs").asInt() >= 1, json.toString());
        assertTrue(json.path("fit_featurize_seconds").asDouble() > 0, json.toString());
        assertTrue(Files.exists(out.resolve("fe-run").resolve("model.zip")));
        assertTrue(Files.exists(out.resolve("codes.npy")));
    }

    @Test
    void aModelWithPretrainedWeightsIsRefusedWithTheFix() {
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("bench", "fe-end-to-end", "--model", "resnet50.imagenet", "--out",
                dir.toString()));
        assertTrue(err.toString().contains("weights"), err.toString());
    }
}
