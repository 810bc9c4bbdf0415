package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
