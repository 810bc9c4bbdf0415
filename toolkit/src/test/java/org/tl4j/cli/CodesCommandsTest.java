package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.svm.SvmModel;
import org.tl4j.train.FeatureTestData;

/** {@code tl4j extract} and {@code tl4j svm} on a tiny folder. */
class CodesCommandsTest {

    @TempDir
    Path dir;

    @Test
    void extractThenSvm() throws Exception {
        Path images = FeatureTestData.stripes(dir.resolve("images"), 6, 1);
        Path cache = dir.resolve("cache").toAbsolutePath();
        for (String format : new String[] {"npy", "csv", "bin"}) {
            Path out = dir.resolve("codes-" + format);
            assertEquals(0, Main.run("extract", "--model", "resnet50-small", "--untrained", "--tap", "res3d",
                    "--data", images.toString(), "--out", out.toString(), "--format", format, "--pooling", "avg+max",
                    "--sqrt", "--l2", "--feature-cache", cache.toString(), "--quiet"), format);
            assertTrue(Files.isRegularFile(out), format);
        }
        Codes codes = CodesFiles.read(renamed(dir.resolve("codes-npy"), ".npz"));
        assertEquals(12, codes.rows());
        assertEquals(2 * 128, codes.dim());
        assertTrue(codes.info().signedSqrt() && codes.info().l2Normalized());

        Path model = dir.resolve("svm.zip");
        assertEquals(0, Main.run("svm", "--codes", renamed(dir.resolve("codes-npy"), ".npz").toString(), "--out",
                model.toString(), "--c", "0.01,1", "--quiet"));
        SvmModel loaded = SvmModel.load(model);
        assertEquals("res3d", loaded.codesInfo().tap());
        assertEquals(2, loaded.trials().size());
    }

    @Test
    void userMistakesExitWithTwo() throws Exception {
        Path images = FeatureTestData.stripes(dir.resolve("images"), 2, 1);
        String out = dir.resolve("c.npz").toString();
        assertEquals(2, Main.run("extract", "--model", "resnet50-small", "--untrained", "--data", images.toString(),
                "--out", out, "--pooling", "median", "--quiet"));
        assertEquals(2, Main.run("extract", "--model", "resnet50-small", "--data", images.toString(), "--out", out,
                "--quiet"), "no pretrained weights and neither --graph nor --untrained");
        assertEquals(2, Main.run("extract", "--model", "no-such-model", "--data", images.toString(), "--out", out,
                "--quiet"));
        assertEquals(2, Main.run("svm", "--codes", dir.resolve("missing.npz").toString(), "--out",
                dir.resolve("m.zip").toString(), "--quiet"));
    }

    private static Path renamed(Path file, String extension) throws java.io.IOException {
        Path target = file.resolveSibling(file.getFileName() + extension);
        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
