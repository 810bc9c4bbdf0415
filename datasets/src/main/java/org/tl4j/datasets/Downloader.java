package org.tl4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Downloads a file into a temp file next to its destination, lets the caller verify it (checksums), and only
 * then moves it into place, so an interrupted or corrupted transfer never leaves a file that looks valid. A cached
 * copy that fails verification is deleted and downloaded again.
 *
 * <p>Connect and read time-outs are bounded, and transient failures (time-outs, HTTP 5xx/408/429, a body shorter
 * than announced) are retried a bounded number of times; HTTP 4xx and unknown hosts fail at once.
 * {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: its read time-out covers every read of
 * the body, so a server that stalls mid-file is detected (HttpClient's only covers the response headers). This
 * duplicates a little of zoo-adapters' weight downloader on purpose: the datasets module depends on none of ours.
 */
public final class Downloader {

    /**
     * @param connectTimeout how long to wait for a TCP connection
     * @param readTimeout    how long any single read may wait for data
     * @param attempts       how many times a transient failure is tried, at least 1
     * @param retryBackoff   wait before the second attempt; the n-th retry waits n times this
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int attempts, Duration retryBackoff) {

        /** 15 s to connect, 60 s without data, 3 attempts, 2 s back-off. */
        public static final Settings DEFAULT =
                new Settings(Duration.ofSeconds(15), Duration.ofSeconds(60), 3, Duration.ofSeconds(2));

        /** Checks that time-outs are positive (zero means wait forever) and at least one attempt is made. */
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (attempts < 1 || connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero() || retryBackoff.isNegative()) {
                throw new IllegalArgumentException("download settings need positive time-outs and at least one"
                        + " attempt, got " + connectTimeout + ", " + readTimeout + ", " + attempts);
            }
        }
    }

    private final Settings settings;

    /** A downloader with {@link Settings#DEFAULT}. */
    public Downloader() {
        this(Settings.DEFAULT);
    }

    /** @param settings time-outs and retries */
    public Downloader(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Fetches {@code uri} to {@code destination} unless a verified copy is already there.
     *
     * @param verify throws (a {@link DatasetException} naming the file and the checksum) when the file is wrong
     */
    public Path fetch(URI uri, Path destination, Consumer<Path> verify, Progress progress) {
        if (Files.isRegularFile(destination)) {
            try {
                verify.accept(destination); // checked every time: the cache folder is user-writable
                return destination;
            } catch (DatasetException e) {
                progress.report("cached " + destination + " is damaged (" + e.getMessage() + "); downloading again");
                deleteQuietly(destination);
            }
        }
        Path temp = null;
        try {
            Path folder = destination.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, destination.getFileName().toString(), ".part");
            transferWithRetries(uri, temp, progress);
            verify.accept(temp);
            try {
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            return destination;
        } catch (IOException e) {
            throw new DatasetException("download of " + uri + " failed (" + e.getMessage() + "); check the network"
                    + " or install the data from its Debian package", e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private void transferWithRetries(URI uri, Path temp, Progress progress) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                progress.report("downloading " + uri + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
                transferOnce(uri, temp);
                return;
            } catch (IOException e) {
                boolean retryable = !(e instanceof PermanentFailure) && !(e instanceof UnknownHostException);
                if (!retryable || attempt >= settings.attempts()) {
                    throw attempt > 1 ? new IOException(e.getMessage() + ", after " + attempt + " attempts", e) : e;
                }
                progress.report("download of " + uri + " failed (" + e.getMessage() + "); retrying");
                pause(settings.retryBackoff().multipliedBy(attempt));
            }
        }
    }

    private void transferOnce(URI uri, Path temp) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PermanentFailure("unsupported URI scheme '" + scheme + "' (use http: or https:)");
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
            connection.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
            connection.setInstanceFollowRedirects(true);
            connection.setRequestProperty("User-Agent", "tl4j");
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                String message = "HTTP " + status;
                if (status >= 500 || status == 408 || status == 429) {
                    throw new IOException(message);
                }
                throw new PermanentFailure(message);
            }
            long announced = connection.getContentLengthLong();
            long received = 0;
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(temp)) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    received += n;
                }
            }
            if (announced >= 0 && received != announced) {
                throw new IOException("connection closed after " + received + " of " + announced + " bytes");
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException("no answer or no data for the time-out (" + e.getMessage() + ")", e);
        } finally {
            connection.disconnect();
        }
    }

    private static void pause(Duration wait) throws IOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("download interrupted");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover *.part or damaged file is re-verified before any use, so this must not hide the real error.
        }
    }

    /** A failure retrying cannot fix (HTTP 4xx, a wrong scheme). */
    private static final class PermanentFailure extends IOException {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message) {
            super(message);
        }
    }
}
