package org.tl4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Downloads a file into a temp file next to its destination, lets the caller verify it (checksums), and only
 * then moves it into place, so an interrupted or corrupted transfer never leaves a file that looks valid.
 */
public final class Downloader {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /**
     * Fetches {@code uri} to {@code destination} unless it is already there.
     *
     * @param verify throws (a {@link DatasetException} naming the file and the checksum) when the download is wrong
     */
    public Path fetch(URI uri, Path destination, Consumer<Path> verify, Progress progress) {
        if (Files.isRegularFile(destination)) {
            verify.accept(destination); // a cached copy is checked every time: the cache folder is user-writable
            return destination;
        }
        Path temp = null;
        try {
            Files.createDirectories(destination.toAbsolutePath().getParent());
            temp = Files.createTempFile(destination.toAbsolutePath().getParent(), destination.getFileName().toString(), ".part");
            progress.report("downloading " + uri);
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new DatasetException("download of " + uri + " failed with HTTP " + response.statusCode()
                        + "; check the network or install the data from its Debian package");
            }
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            verify.accept(temp);
            try {
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            return destination;
        } catch (IOException e) {
            throw new DatasetException("download of " + uri + " failed (" + e + "); check the network or install the"
                    + " data from its Debian package", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("download of " + uri + " was interrupted", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // Leaving a *.part file behind is harmless (nothing reads it) and must not hide the real error.
                }
            }
        }
    }
}
