package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {

    private static final byte[] CONTENT = Fixtures.bytes(4, 300_000);

    @TempDir
    Path temp;

    @Test
    void hashesWhileItWritesAndReportsProgressToTheEnd() throws IOException {
        List<long[]> updates = new ArrayList<>();
        Downloader downloader = new Downloader(Fixtures.FAST,
                (uri, done, total, finished) -> updates.add(new long[] {done, total, finished ? 1 : 0}));
        Path target = temp.resolve("out.bin");
        try (TestHttpServer server = new TestHttpServer().serve("/w.bin", CONTENT)) {
            Digests digests = downloader.download(server.uri("/w.bin"), target);

            assertArrayEquals(CONTENT, Files.readAllBytes(target));
            assertEquals(Sha256.of(CONTENT), digests.sha256());
            Adler32 adler = new Adler32();
            adler.update(CONTENT);
            assertEquals(adler.getValue(), digests.adler32());
            assertEquals(CONTENT.length, digests.sizeBytes());
        }
        assertArrayEquals(new long[] {0, CONTENT.length, 0}, updates.get(0));
        assertArrayEquals(new long[] {CONTENT.length, CONTENT.length, 1}, updates.get(updates.size() - 1));
        assertTrue(updates.size() > 3, "several chunks reported, got " + updates.size());
    }

    @Test
    void failedTransferDeletesTheTargetFile() throws IOException {
        Downloader downloader = new Downloader(Fixtures.FAST, DownloadProgress.NONE);
        Path target = Files.write(temp.resolve("out.bin"), new byte[] {1, 2, 3});
        try (TestHttpServer server = new TestHttpServer().status("/gone.bin", 410)) {
            IOException e = assertThrows(IOException.class, () -> downloader.download(server.uri("/gone.bin"), target));

            assertEquals("HTTP 410 Gone", e.getMessage());
        }
        assertFalse(Files.exists(target));
    }

    @Test
    void unsupportedSchemeIsRefusedAtOnce() {
        Downloader downloader = new Downloader(Fixtures.FAST, DownloadProgress.NONE);

        IOException e = assertThrows(IOException.class,
                () -> downloader.download(URI.create("ftp://example.org/w.zip"), temp.resolve("x")));

        assertTrue(e.getMessage().contains("ftp"), e.getMessage());
    }

    @Test
    void zeroTimeOutsAreRefusedBecauseTheyMeanWaitForever() {
        assertThrows(IllegalArgumentException.class,
                () -> new Downloader.Settings(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO));
    }

    @Test
    void loggingProgressDescribesKnownAndUnknownSizes() {
        assertEquals("1.5 MiB of 3.0 MiB (50%)", LoggingProgress.describe(3 << 19, 3 << 20));
        assertEquals("2.0 MiB received", LoggingProgress.describe(2 << 20, -1));
    }
}
