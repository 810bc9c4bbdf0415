package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tl4j inspect} on one folder of 100,000 empty files (and a usable class beside it): it finishes, and the
 * saved manifest reports every file with its reason. Prints the time it took.
 */
class HundredThousandFilesTest {

    private static final int FILES = 100_000;

    @Test
    void everyOneOfAHundredThousandEmptyFilesIsReported(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("data/empty"));
        for (int i = 0; i < FILES; i++) {
            Files.createFile(empty.resolve(String.format("%06d.jpg", i)));
        }
        Path good = Files.createDirectories(dir.resolve("data/good"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", good.resolve("a.png").toFile());
        Path manifest = dir.resolve("manifest.csv");
        long start = System.nanoTime();

        Tl4jProcess.Result result = Tl4jProcess.run(300, "inspect", "--quiet", "--data", dir.resolve("data").toString(),
                "--save-manifest", manifest.toString());

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("inspect of %d empty files + 1 image: %.1f s (load %s)%n", FILES, seconds,
                Files.readString(Path.of("/proc/loadavg")).strip());
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("1 usable, " + FILES + " rejected"), result.stdout());
        List<String> lines = Files.readAllLines(manifest);
        long emptyRows = lines.stream().filter(l -> l.contains("empty/") && l.contains("empty file (0 bytes)")).count();
        assertEquals(FILES, emptyRows, "every empty file has its own row with its reason");
    }
}
