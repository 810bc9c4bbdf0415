package org.tl4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a folder with everything in it (run folders, caches, trial work): the JDK has no one-call way. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code folder} and everything below it, deepest first; nothing happens when it does not exist.
     * Symbolic links are deleted, never followed ({@link Files#walk} does not follow them).
     */
    public static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
