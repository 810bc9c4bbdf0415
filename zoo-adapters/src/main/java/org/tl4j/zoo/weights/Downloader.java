package org.tl4j.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies an {@code https:}, {@code http:}, {@code file:} or {@code classpath:} URI to a local file while hashing it,
 * with bounded
 * connect and read time-outs and a bounded number of retries for transient failures (time-outs, refused
 * connections, HTTP 5xx/408/429, a connection closed before the announced length). Permanent failures (HTTP 4xx,
 * a missing {@code file:} path or resource, an unknown host, which usually means offline) fail at once.
 *
 * <p>{@code classpath:PATH} names a resource shipped inside tl4j's jars (the weights tl4j trained itself, such as
 * {@code classpath:weights/resnet-small.glyphs.zip}): it goes through the same hashing and checks as a download,
 * so a shipped file is as verified as a fetched one, and works wherever tl4j is installed.
 *
 * <p>Why {@link HttpURLConnection} and not {@code java.net.http.HttpClient}: its read time-out applies to every
 * read of the body, so a server that stalls half-way through a 100 MB file is detected; HttpClient's request
 * time-out only covers the wait for the response headers. Redirects are followed here (up to
 * {@value #MAX_REDIRECTS}) because HttpURLConnection does not follow http to https.
 */
public final class Downloader {

    /**
     * @param connectTimeout how long to wait for a TCP connection
     * @param readTimeout    how long any single read (headers or body) may wait for data
     * @param attempts       how many times to try a transient failure, at least 1
     * @param retryBackoff   wait before the second attempt; the n-th retry waits n times this
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int attempts, Duration retryBackoff) {

        /** 15 s to connect, 60 s without data, 3 attempts, 2 s back-off. */
        public static final Settings DEFAULT =
                new Settings(Duration.ofSeconds(15), Duration.ofSeconds(60), 3, Duration.ofSeconds(2));

        /** Checks that time-outs are positive and at least one attempt is made. */
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero()) {
                throw new IllegalArgumentException("time-outs must be positive (a zero time-out waits forever)");
            }
        }
    }

    static final int MAX_REDIRECTS = 5;

    /** URI scheme of files shipped on tl4j's class path, e.g. {@code classpath:weights/resnet-small.glyphs.zip}. */
    public static final String CLASSPATH_SCHEME = "classpath";
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

    private final Settings settings;
    private final DownloadProgress progress;

    /** A downloader with {@link Settings#DEFAULT} that logs progress of large files. */
    public Downloader() {
        this(Settings.DEFAULT, new LoggingProgress());
    }

    /**
     * @param settings time-outs and retries
     * @param progress told about every transfer, e.g. {@link LoggingProgress} or {@link DownloadProgress#NONE}
     */
    public Downloader(Settings settings, DownloadProgress progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** The time-outs and retries in use. */
    public Settings settings() {
        return settings;
    }

    /**
     * Writes the bytes at {@code uri} to {@code target} (replacing it) and returns their digests. On failure
     * {@code target} is deleted and the last attempt's error is thrown; its message is a short reason such as
     * {@code HTTP 404 Not Found} or {@code no data for 60 s (read time-out)}.
     */
    public Digests download(URI uri, Path target) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                return transferOnce(uri, target);
            } catch (IOException e) {
                Files.deleteIfExists(target);
                last = e;
                if (!isRetryable(e) || attempt == settings.attempts()) {
                    break;
                }
                Duration wait = settings.retryBackoff().multipliedBy(attempt);
                LOG.warn("Download of {} failed ({}); attempt {} of {} in {} ms", uri, e.getMessage(),
                        attempt + 1, settings.attempts(), wait.toMillis());
                pause(wait);
            }
        }
        throw last;
    }

    private Digests transferOnce(URI uri, Path target) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> copyFile(uri, target);
            case CLASSPATH_SCHEME -> copyResource(uri, target);
            case "http", "https" -> copyHttp(uri, target);
            default -> throw new TransferException("unsupported URI scheme '" + scheme
                    + "' (use https:, http:, file: or classpath:)", false);
        };
    }

    private Digests copyFile(URI uri, Path target) throws IOException {
        Path source = Path.of(uri);
        try (InputStream in = Files.newInputStream(source)) {
            return copy(uri, in, Files.size(source), target);
        } catch (NoSuchFileException e) {
            throw new TransferException("no such file " + source, false);
        }
    }

    private Digests copyResource(URI uri, Path target) throws IOException {
        String resource = classpathResource(uri);
        ClassLoader loader = Downloader.class.getClassLoader();
        java.net.URL url = loader.getResource(resource);
        if (url == null) {
            throw new TransferException("no resource " + resource + " on tl4j's class path (rebuild tl4j with"
                    + " mvn -q -DskipTests package; shipped weights live in zoo-adapters/src/main/resources/)", false);
        }
        java.net.URLConnection connection = url.openConnection();
        try (InputStream in = connection.getInputStream()) {
            return copy(uri, in, connection.getContentLengthLong(), target);
        }
    }

    /** The resource path of a {@code classpath:PATH} URI (no leading slash: class loaders take relative names). */
    public static String classpathResource(URI uri) {
        String path = uri.getSchemeSpecificPart();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a classpath: URI needs a resource path, e.g."
                    + " classpath:weights/model.zip, got " + uri);
        }
        return path;
    }

    private Digests copyHttp(URI uri, Path target) throws IOException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
            try {
                connection.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
                connection.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
                connection.setInstanceFollowRedirects(false);
                connection.setRequestProperty("User-Agent", "tl4j");
                int status = connection.getResponseCode();
                if (isRedirect(status)) {
                    String location = connection.getHeaderField("Location");
                    if (location == null || redirects >= MAX_REDIRECTS) {
                        throw new TransferException("HTTP " + status + (location == null
                                ? " redirect without a Location header" : " after " + MAX_REDIRECTS
                                + " redirects"), false);
                    }
                    current = current.resolve(location);
                    continue;
                }
                if (status != HttpURLConnection.HTTP_OK) {
                    String text = connection.getResponseMessage();
                    throw new TransferException("HTTP " + status + (text == null ? "" : " " + text),
                            status >= 500 || status == 408 || status == 429);
                }
                long announced = connection.getContentLengthLong();
                try (InputStream in = connection.getInputStream()) {
                    return copy(uri, in, announced, target);
                }
            } finally {
                connection.disconnect();
            }
        }
    }

    private Digests copy(URI uri, InputStream in, long announced, Path target) throws IOException {
        Digests.Accumulator accumulator = new Digests.Accumulator();
        progress.update(uri, 0, announced, false);
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[Digests.Accumulator.BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                accumulator.update(buffer, 0, n);
                progress.update(uri, accumulator.size(), announced, false);
            }
        }
        if (announced >= 0 && accumulator.size() != announced) {
            throw new TransferException("connection closed after " + accumulator.size() + " of " + announced
                    + " bytes", true);
        }
        progress.update(uri, accumulator.size(), announced, true);
        return accumulator.finish();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private boolean isRetryable(IOException e) {
        if (e instanceof TransferException transfer) {
            return transfer.retryable;
        }
        // Offline machines fail DNS: retrying only delays the "place it by hand" message.
        return !(e instanceof UnknownHostException);
    }

    /** A short reason for a failed transfer, for one-line messages. */
    static String reason(IOException e, Settings settings) {
        if (e instanceof TransferException) {
            return e.getMessage();
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage() + " (offline?)";
        }
        if (e instanceof SocketTimeoutException) {
            boolean connecting = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
            return connecting
                    ? "no connection within " + seconds(settings.connectTimeout()) + " (connect time-out)"
                    : "no data for " + seconds(settings.readTimeout()) + " (read time-out)";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static void pause(Duration wait) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a download");
        }
    }

    /** A transfer failure whose retry policy is known. */
    static final class TransferException extends IOException {
        final boolean retryable;

        TransferException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }
    }
}
