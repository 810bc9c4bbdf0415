package org.tl4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.Codes;
import org.tl4j.svm.SvmModel;
import org.tl4j.svm.SvmOnActivations;
import org.tl4j.train.TransferTraining;

/** The Java API examples on a tiny generated folder with the 32 px resnet50-small adapter (seeded random weights). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesTest {

    private static final List<String> CLASSES = List.of("blue", "green", "red");

    @TempDir
    static Path dir;

    private Path folder;

    /** 8 noisy 32 px images per class, each class brighter in its own colour channel; seeded. */
    @BeforeAll
    void writeFolder() throws IOException {
        Random random = new Random(7);
        folder = dir.resolve("colours");
        for (int c = 0; c < CLASSES.size(); c++) {
            Path classFolder = Files.createDirectories(folder.resolve(CLASSES.get(c)));
            for (int i = 0; i < 8; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int[] rgb = {random.nextInt(80), random.nextInt(80), random.nextInt(80)};
                        rgb[2 - c] += 150; // blue -> channel 2, green -> 1, red -> 0
                        image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                    }
                }
                ImageIO.write(image, "png", classFolder.resolve(i + ".png").toFile());
            }
        }
    }

    @Test
    void extractCnnCodesGivesOneUnitNormCodePerImage() throws IOException {
        Codes codes = ExtractCnnCodes.extract(folder, "resnet50-small", true, dir.resolve("cache"));
        assertEquals(24, codes.rows());
        assertEquals(512, codes.dim());
        assertEquals(CLASSES, codes.info().classes());
        double norm = 0;
        for (float v : codes.row(5)) {
            norm += v * v;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-3);
    }

    @Test
    void svmExampleSavesAModelThatSeparatesTheColours() throws IOException {
        Path out = dir.resolve("svm.zip");
        SvmOnActivations.Result r = SvmOnActivationsExample.fit(folder, "resnet50-small", true, dir.resolve("cache"), out);
        SvmModel saved = SvmModel.load(out);
        assertEquals(CLASSES, saved.classes());
        assertEquals(r.model().c(), saved.c());
        // Colour is linearly visible even through random convolutions: well above the 1/3 of chance on training codes.
        assertTrue(saved.evaluate(r.train()).accuracy() > 0.6, "train accuracy " + saved.evaluate(r.train()));
    }

    @Test
    void fineTuneFolderWritesARunWithTestMetrics() throws IOException {
        Path run = dir.resolve("run");
        TransferTraining.FitResult r = FineTuneFolder.fit(folder, "resnet50-small", 1, run);
        assertEquals(run, r.runFolder());
        assertTrue(Files.isRegularFile(run.resolve(TransferTraining.MODEL_FILE)));
        assertTrue(Files.isRegularFile(run.resolve(TransferTraining.METRICS_FILE)));
        assertTrue(r.test().images() > 0);
        assertTrue(r.test().accuracy() >= 0 && r.test().accuracy() <= 1);
    }
}
