package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.WeightSource;

class WeightStoreTest {

    private static final byte[] GOOD = Fixtures.bytes(1, 200_000);
    private static final byte[] CORRUPT = Fixtures.bytes(2, GOOD.length);
    private static final byte[] TRUNCATED = java.util.Arrays.copyOf(GOOD, 150_000);

    @TempDir
    Path temp;
    private Path cache;
    private WeightStore store;
    private TestHttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        cache = temp.resolve("cache");
        store = Fixtures.store(cache);
        server = new TestHttpServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void downloadsOverHttpOnceAndPlacesTheFileUnderItsSha256() throws IOException {
        server.serve("/good.bin", GOOD);
        WeightSource source = Fixtures.source(server.uri("/good.bin"), GOOD);

        CachedWeights first = store.fetch(source);
        CachedWeights second = store.fetch(source);

        assertEquals(cache.resolve(source.sha256()).resolve("good.bin"), first.file());
        assertArrayEquals(GOOD, Files.readAllBytes(first.file()));
        assertEquals(source.sha256(), first.sha256());
        assertEquals(first, second);
        assertEquals(1, server.requests("/good.bin"), "a cached file must not be downloaded again");
        assertEquals(List.of(source.sha256() + "/good.bin"), Fixtures.regularFiles(cache), "no temp file left");
    }

    @Test
    void copiesFromFileUris() throws IOException {
        Path original = Files.write(temp.resolve("weights.zip"), GOOD);
        WeightSource source = Fixtures.source(original.toUri(), GOOD);

        CachedWeights cached = store.fetch(source);

        assertArrayEquals(GOOD, Files.readAllBytes(cached.file()));
        assertTrue(Files.exists(original), "the original stays where it was");
    }

    @Test
    void corruptDownloadNamesBothHashesAndLeavesNothingBehind() throws IOException {
        server.serve("/corrupt.bin", CORRUPT);
        WeightSource source = Fixtures.source(server.uri("/corrupt.bin"), GOOD);

        WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> store.fetch(source));

        assertTrue(e.getMessage().contains(source.sha256()), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.of(CORRUPT)), e.getMessage());
        assertTrue(e.getMessage().contains(source.uri().toString()), e.getMessage());
        assertEquals(source.sha256(), e.expected());
        assertEquals(Sha256.of(CORRUPT), e.actual());
        assertEquals(List.of(), Fixtures.regularFiles(cache));
        assertFalse(Files.exists(store.pathFor(source).getParent()), "no entry directory for a bad file");
    }

    @Test
    void truncatedDownloadIsRefusedAndNamedTruncated() throws IOException {
        server.serve("/truncated.bin", TRUNCATED);
        WeightSource source = Fixtures.source(server.uri("/truncated.bin"), GOOD);

        WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> store.fetch(source));

        assertTrue(e.getMessage().contains("expected " + GOOD.length + " bytes, got " + TRUNCATED.length
                + " (truncated)"), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.of(TRUNCATED)), e.getMessage());
        assertEquals(List.of(), Fixtures.regularFiles(cache));
    }

    @Test
    void missingFileGivesOneLineWithUrlCachePathAndImportCommandWithoutRetrying() throws IOException {
        server.status("/missing.bin", 404);
        WeightSource source = Fixtures.source(server.uri("/missing.bin"), GOOD);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class,
                () -> store.fetch(source, "resnet50.imagenet"));

        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(source.uri().toString()), message);
        assertTrue(message.contains("HTTP 404"), message);
        assertTrue(message.contains(store.pathFor(source).toString()), message);
        assertTrue(message.contains("./tl4j zoo import FILE --as resnet50.imagenet"), message);
        assertEquals(1, server.requests("/missing.bin"), "a 404 is permanent: no retry");
        assertTrue(Fixtures.regularFiles(cache).isEmpty());
    }

    @Test
    void serverErrorIsRetriedThenReported() throws IOException {
        server.status("/error.bin", 500);
        WeightSource source = Fixtures.source(server.uri("/error.bin"), GOOD);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class, () -> store.fetch(source));

        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertEquals(Fixtures.FAST.attempts(), server.requests("/error.bin"));
        assertTrue(Fixtures.regularFiles(cache).isEmpty());
    }

    @Test
    void stalledServerTimesOutWithinBoundedTime() throws IOException {
        server.stall("/stall.bin", GOOD, 70_000);
        WeightSource source = Fixtures.source(server.uri("/stall.bin"), GOOD);
        WeightStore impatient = new WeightStore(cache, new Downloader(new Downloader.Settings(
                Duration.ofSeconds(2), Duration.ofMillis(300), 3, Duration.ofMillis(10)), DownloadProgress.NONE));

        // 3 attempts x 300 ms read time-out + back-off: well under the bound.
        WeightUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(8),
                () -> assertThrows(WeightUnavailableException.class, () -> impatient.fetch(source)));

        assertTrue(e.getMessage().contains("no data for 300 ms (read time-out)"), e.getMessage());
        assertEquals(Fixtures.FAST.attempts(), server.requests("/stall.bin"));
        assertTrue(Fixtures.regularFiles(cache).isEmpty(), "the partial download is deleted");
    }

    @Test
    void connectionClosedBeforeTheAnnouncedLengthIsRetriedThenReported() throws IOException {
        server.closeEarly("/short.bin", GOOD, 100_000);
        WeightSource source = Fixtures.source(server.uri("/short.bin"), GOOD);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class, () -> store.fetch(source));

        assertEquals(Fixtures.FAST.attempts(), server.requests("/short.bin"), e.getMessage());
        assertTrue(Fixtures.regularFiles(cache).isEmpty());
    }

    @Test
    void refusedConnectionIsReportedAsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WeightSource source = Fixtures.source(URI.create("http://127.0.0.1:" + port + "/w.zip"), GOOD);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class, () -> store.fetch(source));

        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void missingFileUriFailsAtOnce() throws IOException {
        WeightSource source = Fixtures.source(temp.resolve("absent.zip").toUri(), GOOD);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class, () -> store.fetch(source));

        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(Fixtures.regularFiles(cache).isEmpty());
    }

    @Test
    void redirectsAreFollowed() throws IOException {
        server.serve("/good.bin", GOOD).redirect("/moved.bin", "/good.bin");
        WeightSource source = Fixtures.source(server.uri("/moved.bin"), GOOD);

        assertArrayEquals(GOOD, Files.readAllBytes(store.fetch(source).file()));
    }

    @Test
    void goodDownloadSucceedsAfterAFailedOne() throws IOException {
        AtomicReference<byte[]> served = new AtomicReference<>(CORRUPT);
        server.serve("/flaky.bin", served::get);
        WeightSource source = Fixtures.source(server.uri("/flaky.bin"), GOOD);

        assertThrows(WeightMismatchException.class, () -> store.fetch(source));
        served.set(GOOD);
        CachedWeights cached = store.fetch(source);

        assertArrayEquals(GOOD, Files.readAllBytes(cached.file()));
        assertEquals(List.of(source.sha256() + "/flaky.bin"), Fixtures.regularFiles(cache));
    }

    @Test
    void corruptedCacheEntryIsRemovedOnUseAndDownloadedAgain() throws IOException {
        server.serve("/good.bin", GOOD);
        WeightSource source = Fixtures.source(server.uri("/good.bin"), GOOD);
        Path file = store.fetch(source).file();
        Files.write(file, CORRUPT);  // same size, new mtime: the quick check must rehash
        // A later corruption: without this, write and verification can share one file-system clock tick.
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(file).toInstant().plusSeconds(1)));

        CachedWeights again = store.fetch(source);

        assertArrayEquals(GOOD, Files.readAllBytes(again.file()));
        assertEquals(2, server.requests("/good.bin"));
    }

    @Test
    void verifyRehashesEvenWhenSizeAndMtimeLookUnchanged() throws IOException {
        Path original = Files.write(temp.resolve("w.zip"), GOOD);
        WeightSource source = Fixtures.source(original.toUri(), GOOD);
        Path file = store.fetch(source).file();
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.write(file, CORRUPT);
        Files.setLastModifiedTime(file, mtime);

        assertTrue(store.cached(source).isPresent(), "use trusts the recorded size+mtime (documented trade-off)");
        WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> store.verify(source));

        assertTrue(e.getMessage().contains(Sha256.of(CORRUPT)), e.getMessage());
        assertFalse(Files.exists(file), "verify removes the bad file");
    }

    @Test
    void verifyAllRehashesEveryFileAndRemovesBadOnes() throws IOException {
        byte[] other = Fixtures.bytes(3, 5_000);
        WeightSource good = Fixtures.source(Files.write(temp.resolve("a.zip"), GOOD).toUri(), GOOD);
        WeightSource bad = Fixtures.source(Files.write(temp.resolve("b.zip"), other).toUri(), other);
        store.fetch(good);
        Path badFile = store.fetch(bad).file();
        FileTime mtime = Files.getLastModifiedTime(badFile);
        byte[] flipped = other.clone();
        flipped[10] ^= 1;
        Files.write(badFile, flipped);
        Files.setLastModifiedTime(badFile, mtime);

        VerifyReport report = store.verifyAll();

        assertEquals(1, report.good().size());
        assertEquals(good.sha256(), report.good().get(0).sha256());
        assertEquals(1, report.removed().size());
        VerifyReport.BadEntry entry = report.removed().get(0);
        assertEquals(bad.sha256(), entry.expectedSha256());
        assertEquals(Sha256.of(flipped), entry.actualSha256());
        assertFalse(report.allGood());
        assertEquals(List.of(good.sha256() + "/a.zip"), Fixtures.regularFiles(cache));
    }

    @Test
    void importPlacesAVerifiedLocalFileAndRefusesAWrongOne() throws IOException {
        WeightSource source = Fixtures.source(URI.create("https://example.org/models/w.zip"), GOOD);
        Path wrong = Files.write(temp.resolve("wrong.zip"), CORRUPT);

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> store.importFile(wrong, source));
        assertTrue(e.getMessage().contains(wrong.toString()) && e.getMessage().contains(source.sha256()),
                e.getMessage());
        assertTrue(Fixtures.regularFiles(cache).isEmpty());
        assertTrue(Files.exists(wrong), "the user's file is not deleted");

        Path right = Files.write(temp.resolve("right.zip"), GOOD);
        CachedWeights imported = store.importFile(right, source);

        assertEquals(store.pathFor(source), imported.file());
        assertEquals(imported, store.fetch(source), "fetch finds the imported file without downloading");
    }

    @Test
    void importOfAMissingFileNamesIt() {
        WeightSource source = Fixtures.source(URI.create("https://example.org/w.zip"), GOOD);
        Path absent = temp.resolve("nope.zip");

        WeightsException e = assertThrows(WeightsException.class, () -> store.importFile(absent, source));

        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
    }
}
