package org.tl4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers, even after a crash or a killed process, see the old content or the new one, never
 * a part of it: temporary file in the same folder, fsync, rename, fsync of the folder. Used for every artifact
 * tl4j writes (manifests, splits, checkpoints).
 */
public final class AtomicFiles {

    /** Prefix of temporary files, so that readers of a folder can tell them from finished files. */
    public static final String TEMP_PREFIX = ".";
    /** Suffix of temporary files. */
    public static final String TEMP_SUFFIX = ".tmp";

    /** Writes the content to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes the content into the given (temporary) file, for libraries that want a path (DL4J's ModelSerializer). */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} from a stream. */
    public static void write(Path target, StreamWriter writer) throws IOException {
        writeFile(target, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
        });
    }

    /** Writes {@code target} through a file the writer fills. */
    public static void writeFile(Path target, FileWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, TEMP_PREFIX + absolute.getFileName(), TEMP_SUFFIX);
        try {
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // createTempFile makes the file private (rw-------); results are meant to be shared like any file.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                writer.write(temp);
                // Without this the rename can reach the disk before the data, leaving an empty file after a crash.
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            } catch (IOException e) {
                throw new ArtifactWriteException(absolute, e);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(folder);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes a rename or delete in {@code folder} durable. */
    public static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder as a channel; the rename is still atomic there.
        }
    }
}
