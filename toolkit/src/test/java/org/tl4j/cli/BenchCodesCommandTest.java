package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The benchmark runs end to end on a small model and prints its figures (the figures themselves are not judged). */
class BenchCodesCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsImagesPerSecondForEachEngineAndTheRatio() {
        CommandLine cli = Main.newCommandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text, true));
        int exit = cli.execute("bench", "codes", "--model", "alexnet-small", "--tap", "pool5", "--pool", "--batch",
                "2", "--rounds", "2", "--steps", "1", "--nd4j-steps", "1", "--threads", "1", "--cache", dir.toString());
        String out = text.toString();
        assertEquals(ExitCodes.OK, exit, out);
        for (String line : new String[] {"tl4j-onnxruntime ", "onnxruntime-direct ", "nd4j ", "parity onnxruntime",
                "tl4j-onnxruntime / onnxruntime-direct:", "/proc/loadavg"}) {
            assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
        }
    }
}
