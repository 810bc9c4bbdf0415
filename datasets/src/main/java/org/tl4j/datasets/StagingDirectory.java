package org.tl4j.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * A dataset is written into a sibling folder {@code DIR.tmp-NNN} and renamed to {@code DIR} only when complete,
 * so a run that is killed never leaves a half-written {@code DIR} that looks finished (only a {@code .tmp-}
 * folder, which is deleted when the run fails normally and can be deleted by hand after a kill).
 */
public final class StagingDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagingDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Starts writing a dataset that will end up at {@code target}.
     *
     * @throws DatasetException if {@code target} exists and is not an empty folder
     */
    public static StagingDirectory begin(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !isEmptyDirectory(absolute)) {
            throw new DatasetException("--out " + target + " already exists and is not empty: delete it or choose another folder");
        }
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
            return new StagingDirectory(absolute, Files.createTempDirectory(parent, absolute.getFileName() + ".tmp-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder next to " + absolute + " to write the dataset into", e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The folder to write into until {@link #commit()}. */
    public Path path() {
        return staging;
    }

    /** The folder the dataset will have after {@link #commit()}. */
    public Path target() {
        return target;
    }

    /** Renames the finished dataset into place (atomically where the file system allows it). */
    public void commit() {
        try {
            if (Files.isDirectory(target)) {
                Files.delete(target); // checked empty in begin(); fails loudly if someone filled it meanwhile
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            committed = true;
        } catch (DirectoryNotEmptyException e) {
            throw new DatasetException("--out " + target + " was filled by something else while the dataset was written;"
                    + " the finished dataset is in " + staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the finished dataset " + staging + " to " + target, e);
        }
    }

    /** Deletes the staging folder unless the dataset was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteRecursively(staging);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the unfinished dataset folder " + root + "; delete it by hand", e);
        }
    }
}
