package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.datasets.DatasetManifest;
import org.tl4j.datasets.fashion.IdxArray;
import org.tl4j.datasets.fashion.IdxReader;

/** {@code tl4j datasets prepare fashion-mnist} on Debian's dataset-fashion-mnist. */
class DatasetsFashionMnistTest {

    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    private static final List<String> CLASSES = List.of("ankle-boot", "bag", "coat", "dress", "pullover", "sandal",
            "shirt", "sneaker", "t-shirt", "trouser");

    @TempDir
    Path dir;

    @Test
    void fullDatasetHas6000TrainingAnd1000TestImagesPerClassAsPublished() throws IOException {
        assertTrue(Files.isDirectory(DEBIAN), "apt-get install -y dataset-fashion-mnist");
        Path out = dir.resolve("fashion");
        assertEquals(0, Main.run("datasets", "prepare", "fashion-mnist", "--out", out.toString(), "--quiet"));

        Map<String, Integer> train = PreparedFolders.pngsPerClass(out.resolve("train"));
        Map<String, Integer> test = PreparedFolders.pngsPerClass(out.resolve("test"));
        assertEquals(CLASSES, List.copyOf(train.keySet()));
        assertEquals(CLASSES, List.copyOf(test.keySet()));
        train.forEach((cls, n) -> assertEquals(6000, n, "train/" + cls));
        test.forEach((cls, n) -> assertEquals(1000, n, "test/" + cls));

        // File name = index in the published file: test image 0 is an ankle boot (label 9).
        IdxArray testImages = IdxReader.read(DEBIAN.resolve("t10k-images-idx3-ubyte.gz"));
        BufferedImage png = ImageIO.read(out.resolve("test/ankle-boot/00000.png").toFile());
        byte[] expected = testImages.item(0);
        for (int i = 0; i < 784; i++) {
            assertEquals(expected[i] & 0xFF, png.getRaster().getSample(i % 28, i / 28, 0), "pixel " + i);
        }

        Map<String, Object> manifest = DatasetManifest.read(out);
        assertEquals("fashion-mnist", manifest.get("name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) manifest.get("source");
        assertEquals("dataset-fashion-mnist", source.get("package"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) source.get("files");
        assertEquals(4, files.size());
        files.forEach(f -> assertEquals(64, ((String) f.get("sha256")).length()));
    }

    @Test
    void subsetKeepsChosenClassesAndSamplesTrainingImagesPerClass() {
        Path out = dir.resolve("subset");
        assertEquals(0, Main.run("datasets", "prepare", "fashion-mnist", "--out", out.toString(),
                "--classes", "5-9", "--per-class", "10", "--seed", "3", "--quiet"));
        Map<String, Integer> train = PreparedFolders.pngsPerClass(out.resolve("train"));
        assertEquals(Map.of("sandal", 10, "shirt", 10, "sneaker", 10, "bag", 10, "ankle-boot", 10), train);
        assertEquals(Map.of("sandal", 1000, "shirt", 1000, "sneaker", 1000, "bag", 1000, "ankle-boot", 1000),
                PreparedFolders.pngsPerClass(out.resolve("test")), "the test split stays whole");
    }

    @Test
    void existingFolderIsRefusedWithExitCode2() throws IOException {
        Path out = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(out.resolve("mine.txt"), "keep");
        assertEquals(2, Main.run("datasets", "prepare", "fashion-mnist", "--out", out.toString(), "--quiet"));
        assertEquals("keep", Files.readString(out.resolve("mine.txt")));
    }
}
