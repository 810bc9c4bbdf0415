package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTP server (the JDK's), so the test needs no network. */
class DownloaderTest {

    private static final byte[] PAYLOAD = "the published bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer server;
    private URI base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data.bin", exchange -> {
            exchange.sendResponseHeaders(200, PAYLOAD.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PAYLOAD);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static Consumer<Path> expectSha256(String expected) {
        return path -> {
            String actual = Sha256.of(path);
            if (!actual.equals(expected)) {
                throw new DatasetException(path + " has SHA-256 " + actual + ", expected " + expected);
            }
        };
    }

    @Test
    void verifiedDownloadIsMovedIntoPlace() throws IOException {
        Path target = dir.resolve("cache/data.bin");
        new Downloader().fetch(base.resolve("data.bin"), target, expectSha256(Sha256.of(PAYLOAD)), Progress.SILENT);
        assertArrayEquals(PAYLOAD, Files.readAllBytes(target));
        assertEquals(1, count(target.getParent()), "no temp file left");
    }

    @Test
    void checksumMismatchLeavesNoFileBehind() throws IOException {
        Path target = dir.resolve("cache/data.bin");
        DatasetException e = assertThrows(DatasetException.class, () -> new Downloader()
                .fetch(base.resolve("data.bin"), target, expectSha256("0".repeat(64)), Progress.SILENT));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, count(target.getParent()), "the partial download is deleted");
    }

    @Test
    void httpErrorIsReportedWithTheUrl() {
        DatasetException e = assertThrows(DatasetException.class, () -> new Downloader()
                .fetch(base.resolve("missing.bin"), dir.resolve("m.bin"), p -> { }, Progress.SILENT));
        assertTrue(e.getMessage().contains("missing.bin") && e.getMessage().contains("404"), e.getMessage());
    }

    private static final Downloader.Settings FAST =
            new Downloader.Settings(Duration.ofMillis(500), Duration.ofMillis(500), 3, Duration.ofMillis(10));

    /** Answers each request on {@code path} with the next behaviour; the last one repeats. */
    private AtomicInteger script(String path, HttpHandler... behaviours) {
        AtomicInteger requests = new AtomicInteger();
        server.createContext(path, exchange -> {
            int n = requests.getAndIncrement();
            behaviours[Math.min(n, behaviours.length - 1)].handle(exchange);
        });
        return requests;
    }

    private static HttpHandler status(int code) {
        return exchange -> {
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        };
    }

    private static HttpHandler good() {
        return exchange -> {
            exchange.sendResponseHeaders(200, PAYLOAD.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PAYLOAD);
            }
        };
    }

    /** Announces the whole payload, sends half, then closes the connection. */
    private static HttpHandler truncated() {
        return exchange -> {
            exchange.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = exchange.getResponseBody();
            out.write(PAYLOAD, 0, PAYLOAD.length / 2);
            out.flush();
            exchange.close();
        };
    }

    /** Announces the payload, sends a few bytes, then goes silent for longer than the read time-out. */
    private static HttpHandler stall() {
        return exchange -> {
            exchange.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = exchange.getResponseBody();
            out.write(PAYLOAD, 0, 3);
            out.flush();
            sleep(3_000);
            exchange.close();
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path fetchWith(Downloader downloader, String path, Path target) {
        return downloader.fetch(base.resolve(path.substring(1)), target, expectSha256(Sha256.of(PAYLOAD)),
                Progress.SILENT);
    }

    @Test
    void serverErrorIsRetriedABoundedNumberOfTimesThenReported() throws IOException {
        AtomicInteger requests = script("/e500", status(500));
        Path target = dir.resolve("cache/e.bin");

        DatasetException e = assertThrows(DatasetException.class,
                () -> fetchWith(new Downloader(FAST), "/e500", target));

        assertEquals(3, requests.get());
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("3 attempts"), e.getMessage());
        assertEquals(0, count(target.getParent()), "nothing is left in the cache");
    }

    @Test
    void notFoundFailsAtOnceWithoutRetrying() {
        AtomicInteger requests = script("/e404", status(404));

        DatasetException e = assertThrows(DatasetException.class,
                () -> fetchWith(new Downloader(FAST), "/e404", dir.resolve("n.bin")));

        assertEquals(1, requests.get());
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("e404"), e.getMessage());
    }

    @Test
    void transientFailuresThenAGoodAnswerSucceed() throws IOException {
        AtomicInteger requests = script("/flaky", status(503), truncated(), good());
        Path target = dir.resolve("cache/flaky.bin");

        fetchWith(new Downloader(FAST), "/flaky", target);

        assertEquals(3, requests.get());
        assertArrayEquals(PAYLOAD, Files.readAllBytes(target));
        assertEquals(1, count(target.getParent()), "no temp file left");
    }

    @Test
    void truncatedBodyIsRetriedThenReportedAndNotCached() throws IOException {
        AtomicInteger requests = script("/short", truncated());
        Path target = dir.resolve("cache/short.bin");

        assertThrows(DatasetException.class, () -> fetchWith(new Downloader(FAST), "/short", target));

        assertEquals(3, requests.get());
        assertEquals(0, count(target.getParent()));
    }

    @Test
    void stalledBodyTimesOutWithinBoundedTime() throws IOException {
        script("/stall", stall());
        Downloader oneAttempt = new Downloader(
                new Downloader.Settings(Duration.ofMillis(500), Duration.ofMillis(500), 2, Duration.ofMillis(10)));
        Path target = dir.resolve("cache/stall.bin");
        long start = System.nanoTime();

        DatasetException e = assertThrows(DatasetException.class, () -> fetchWith(oneAttempt, "/stall", target));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_900, "two 500 ms read time-outs took " + millis + " ms: the stall was not detected");
        assertTrue(e.getMessage().contains("time-out"), e.getMessage());
        assertEquals(0, count(target.getParent()));
    }

    @Test
    void connectTimeOutIsBounded() throws IOException {
        // A listening socket whose backlog is full and which never accepts: the kernel drops further SYNs, so a
        // new connection waits for the connect time-out.
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (IOException backlogFull) {
                        s.close();
                        break;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(fillers.size() < 8,
                        "this kernel accepts unlimited pending connections; the connect time-out cannot be provoked");
                URI uri = URI.create("http://127.0.0.1:" + full.getLocalPort() + "/x");
                long start = System.nanoTime();

                assertThrows(DatasetException.class, () -> new Downloader(FAST)
                        .fetch(uri, dir.resolve("c.bin"), p -> { }, Progress.SILENT));

                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 5_000, "3 connect attempts of 500 ms took " + millis + " ms");
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aDamagedCachedCopyIsReplacedByAGoodDownload() throws IOException {
        script("/cached", good());
        Path target = dir.resolve("cache/cached.bin");
        Files.createDirectories(target.getParent());
        Files.write(target, "tampered".getBytes(StandardCharsets.UTF_8));

        fetchWith(new Downloader(FAST), "/cached", target);

        assertArrayEquals(PAYLOAD, Files.readAllBytes(target));
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
