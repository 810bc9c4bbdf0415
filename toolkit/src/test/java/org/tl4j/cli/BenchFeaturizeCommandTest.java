package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.FeatureTestData;
import picocli.CommandLine.ParseResult;

class BenchFeaturizeCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return CapturedRun.run(args);
    }

    @Test
    void parsesWithSmallDefaults() {
        ParseResult result = Main.newCommandLine().parseArgs("bench", "featurize", "--data", "d");
        BenchFeaturizeCommand command = (BenchFeaturizeCommand) result.subcommand().subcommand().commandSpec()
                .userObject();
        assertEquals("resnet50-small", command.model);
        assertEquals(5, command.epochs);
        assertEquals(null, command.cut);
    }

    @Test
    void comparesCacheAndFrozenTrainingOnATinyFolderAndCleansUp() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 4, 2);
        String[] r = run("bench", "featurize", "--data", data.toString(), "--epochs", "2", "--batch", "4",
                "--cut", "res4f", "--pool", "--quiet");
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("cut res4f_relu (pooled), 8 images in 2 classes"), out);
        assertTrue(out.contains("speed-up:"), out);
        assertTrue(out.contains(": similar"), out);
        java.util.regex.Matcher cache = java.util.regex.Pattern.compile("computed in (\\S+) \\(temporary\\)")
                .matcher(out);
        assertTrue(cache.find(), out);
        assertTrue(!Files.exists(Path.of(cache.group(1))), "the temporary feature cache is deleted");
    }

    @Test
    void autoEngineFeaturizesOnOnnxRuntimeAndTheHeadStillLearnsAsOnTheFrozenGraph() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 4, 2);
        String[] r = run("bench", "featurize", "--data", data.toString(), "--epochs", "2", "--batch", "4",
                "--cut", "res4f", "--pool", "--engine", "auto", "--quiet");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("engine:   onnxruntime (parity"), r[1]);
        assertTrue(r[1].contains(": similar"), r[1]);
    }

    @Test
    void unknownCutIsABadInput() throws Exception {
        Path data = FeatureTestData.stripes(dir.resolve("data"), 2, 2);
        String[] r = run("bench", "featurize", "--data", data.toString(), "--cut", "nope", "--quiet");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("no layer 'nope'"), r[2]);
    }
}
