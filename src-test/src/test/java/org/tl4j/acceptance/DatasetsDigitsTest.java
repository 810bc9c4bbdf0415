package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;

/** {@code tl4j datasets prepare digits} on OpenCV's digits.png from Debian's opencv-doc. */
class DatasetsDigitsTest {

    private static final Path SHEET = Path.of("/usr/share/doc/opencv-doc/examples/data/digits.png");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    @Test
    void tenClassesOf500CellsEqualToTheSheetPixelForPixel() throws IOException {
        assertTrue(Files.isRegularFile(SHEET), "apt-get install -y opencv-doc");
        Path out = dir.resolve("digits");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--out", out.toString(), "--quiet"));
        Map<String, Integer> counts = PreparedFolders.pngsPerClass(out);
        assertEquals(DIGITS, List.copyOf(counts.keySet()));
        counts.forEach((digit, n) -> assertEquals(500, n, "class " + digit));

        Raster sheet = ImageIO.read(SHEET.toFile()).getRaster();
        // row, column, digit (5 rows per digit)
        for (int[] cell : new int[][] {{0, 0, 0}, {7, 13, 1}, {27, 42, 5}, {49, 99, 9}}) {
            Path png = out.resolve(cell[2] + "/" + String.format("r%02d-c%03d.png", cell[0], cell[1]));
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(20, image.getWidth());
            assertEquals(20, image.getHeight());
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    assertEquals(sheet.getSample(cell[1] * 20 + x, cell[0] * 20 + y, 0), image.getRaster().getSample(x, y, 0),
                            png + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void heldOutTestFractionIsStratifiedSeededAndDisjoint() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--out", a.toString(), "--test-fraction", "0.2", "--seed", "11", "--quiet"));
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--out", b.toString(), "--test-fraction", "0.2", "--seed", "11", "--quiet"));
        PreparedFolders.pngsPerClass(a.resolve("train")).forEach((d, n) -> assertEquals(400, n, "train/" + d));
        PreparedFolders.pngsPerClass(a.resolve("test")).forEach((d, n) -> assertEquals(100, n, "test/" + d));
        Set<String> trainA = names(a.resolve("train"));
        Set<String> testA = names(a.resolve("test"));
        Set<String> overlap = new HashSet<>(trainA);
        overlap.retainAll(testA);
        assertEquals(Set.of(), overlap, "a cell in both splits");
        assertEquals(5000, trainA.size() + testA.size());
        assertEquals(testA, names(b.resolve("test")), "the same seed holds out the same cells");
    }

    private static Set<String> names(Path split) throws IOException {
        try (Stream<Path> files = Files.walk(split)) {
            Set<String> names = new HashSet<>();
            files.filter(Files::isRegularFile).forEach(f -> names.add(split.relativize(f).toString()));
            return names;
        }
    }
}
