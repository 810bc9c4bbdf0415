package org.tl4j.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Durable atomic writes for checkpoints: temp file in the same folder, fsync, rename, fsync of the folder. Written
 * here rather than reusing org.tl4j.data.AtomicFiles because a checkpoint must survive a power cut or a killed
 * process, which needs the fsyncs that AtomicFiles (meant for results) leaves out, and because DL4J's
 * ModelSerializer writes to a file path, not a stream.
 */
final class CheckpointFiles {

    /** Prefix of temporary files, which {@link Checkpoints} never mistakes for checkpoints. */
    static final String TEMP_PREFIX = ".";
    static final String TEMP_SUFFIX = ".tmp";

    /** Writes the content into the given (temporary) file. */
    @FunctionalInterface
    interface Writer {
        void write(Path file) throws IOException;
    }

    private CheckpointFiles() {
    }

    /** Writes {@code target} so that readers, even after a crash, see the old content or the new, never a part. */
    static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, TEMP_PREFIX + absolute.getFileName(), TEMP_SUFFIX);
        try {
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            writer.write(temp);
            // Without this the rename can reach the disk before the data, leaving an empty file after a crash.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
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
    static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder as a channel; the rename is still atomic there.
        }
    }
}
