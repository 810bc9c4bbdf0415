package org.tl4j.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Counts a prepared dataset's files by walking the folder (independent of tl4j's own counting and manifest). */
final class PreparedFolders {

    private PreparedFolders() {
    }

    /** PNG files per class folder directly under {@code splitFolder}. */
    static Map<String, Integer> pngsPerClass(Path splitFolder) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Stream<Path> classes = Files.list(splitFolder)) {
            for (Path cls : classes.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(cls)) {
                    counts.put(cls.getFileName().toString(),
                            (int) files.filter(f -> f.getFileName().toString().endsWith(".png")).count());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }
}
