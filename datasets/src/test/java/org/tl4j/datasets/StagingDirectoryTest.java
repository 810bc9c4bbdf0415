package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void datasetAppearsOnlyOnCommit() throws IOException {
        Path out = dir.resolve("set");
        try (StagingDirectory staging = StagingDirectory.begin(out)) {
            Files.writeString(staging.path().resolve("a.txt"), "x");
            assertFalse(Files.exists(out), "nothing at --out before the dataset is complete");
            staging.commit();
        }
        assertEquals("x", Files.readString(out.resolve("a.txt")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(1, left.count(), "no staging folder left behind");
        }
    }

    @Test
    void failedRunLeavesNothingThatLooksComplete() throws IOException {
        Path out = dir.resolve("set");
        assertThrows(IllegalStateException.class, () -> {
            try (StagingDirectory staging = StagingDirectory.begin(out)) {
                Files.writeString(staging.path().resolve("half.txt"), "x");
                throw new IllegalStateException("killed half way");
            }
        });
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void refusesToOverwriteAFilledFolderButAcceptsAnEmptyOne() throws IOException {
        Path filled = Files.createDirectories(dir.resolve("filled"));
        Files.writeString(filled.resolve("keep.txt"), "mine");
        DatasetException e = assertThrows(DatasetException.class, () -> StagingDirectory.begin(filled));
        assertTrue(e.getMessage().contains("filled"), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (StagingDirectory staging = StagingDirectory.begin(empty)) {
            staging.commit();
        }
        assertTrue(Files.isDirectory(empty));
    }
}
