package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;

/** The benchmarks' rendered JPEGs: a scannable image folder of the asked size, the same for the same seed. */
class SyntheticJpegsTest {

    @TempDir
    Path dir;

    @Test
    void writesAnImageFolderOfJpegsThatTheSameSeedRepeats() throws Exception {
        SyntheticJpegs.write(dir.resolve("a"), 6, 3, 50, 30, 7);
        SyntheticJpegs.write(dir.resolve("b"), 6, 3, 50, 30, 7);
        SyntheticJpegs.write(dir.resolve("c"), 6, 3, 50, 30, 8);
        Manifest m = ImageFolder.scan(dir.resolve("a"), ScanOptions.defaults().withProgress(false));
        assertEquals(List.of("c0", "c1", "c2"), m.classes());
        assertEquals(6, m.okEntries().size());
        Path first = dir.resolve("a/c0/img00000.jpg");
        javax.imageio.ImageIO.read(first.toFile());
        assertEquals(50, javax.imageio.ImageIO.read(first.toFile()).getWidth());
        assertEquals(30, javax.imageio.ImageIO.read(first.toFile()).getHeight());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(dir.resolve("b/c0/img00000.jpg")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first),
                Files.readAllBytes(dir.resolve("c/c0/img00000.jpg"))), "another seed, other images");
    }

    @Test
    void refusesFewerImagesThanClasses() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticJpegs.write(dir, 2, 3, 50, 30, 7));
    }
}
