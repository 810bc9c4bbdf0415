package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.WeightSource;

class Dl4jZooSourceTest {

    private static final String RESNET50_URL =
            "https://dl4jdata.blob.core.windows.net/models/resnet50_dl4j_inference.v3.zip";

    @TempDir
    Path temp;
    private Path mirror;
    private WeightStore store;

    @BeforeEach
    void setUp() throws IOException {
        mirror = Files.createDirectories(temp.resolve("mirror"));
        store = Fixtures.store(temp.resolve("cache"));
    }

    @Test
    void resnet50MatchesWhatDl4jsOwnZooClassesSay() {
        ResNet50 dl4j = ResNet50.builder().build();
        // DL4JResources honours a JVM-wide base URL property; resolve against whatever it uses now.
        URI dl4jBase = URI.create(DL4JResources.getBaseDownloadURL());

        assertEquals(dl4j.pretrainedUrl(PretrainedType.IMAGENET),
                Dl4jZooSource.RESNET50_IMAGENET.uri(dl4jBase).toString());
        assertEquals(dl4j.pretrainedChecksum(PretrainedType.IMAGENET), Dl4jZooSource.RESNET50_IMAGENET.adler32());
    }

    @Test
    void buildsDl4jsUrlWithoutAnOverride() {
        WeightSettings settings = WeightSettings.fromEnvironment(Map.of(), temp);

        assertEquals(RESNET50_URL, Dl4jZooSource.RESNET50_IMAGENET.uri(settings.zooBaseUrl()).toString());
        assertEquals("resnet50_dl4j_inference.v3.zip", Dl4jZooSource.RESNET50_IMAGENET.fileName());
    }

    @Test
    void mirrorFromEnvironmentOrOptionReplacesTheHostAndKeepsThePath() {
        WeightSettings fromEnv = WeightSettings.fromEnvironment(
                Map.of(WeightSettings.ZOO_BASE_URL_ENV, "https://mirror.example.org/dl4j"), temp);
        WeightSettings fromOption = fromEnv.withZooBaseUrl("http://10.0.0.5:8080/zoo/");

        assertEquals("https://mirror.example.org/dl4j/models/resnet50_dl4j_inference.v3.zip",
                Dl4jZooSource.RESNET50_IMAGENET.uri(fromEnv.zooBaseUrl()).toString());
        assertEquals("http://10.0.0.5:8080/zoo/models/resnet50_dl4j_inference.v3.zip",
                Dl4jZooSource.RESNET50_IMAGENET.uri(fromOption.zooBaseUrl()).toString());
        assertEquals(fromEnv, fromEnv.withZooBaseUrl(" "), "a blank option keeps the environment's mirror");
    }

    @Test
    void badMirrorUrlIsRefusedNamingWhereItCameFrom() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightSettings
                .fromEnvironment(Map.of(WeightSettings.ZOO_BASE_URL_ENV, "mirror.example.org"), temp));

        assertTrue(e.getMessage().contains(WeightSettings.ZOO_BASE_URL_ENV), e.getMessage());
        assertTrue(e.getMessage().contains("mirror.example.org"), e.getMessage());
    }

    @Test
    void firstDownloadIsCheckedByAdler32AndPinsItsSha256() throws IOException {
        byte[] content = Fixtures.bytes(7, 90_000);
        Dl4jZooSource source = publish("models/fake_zoo.zip", content);

        assertTrue(source.pinned(store, mirror.toUri()).isEmpty());
        CachedWeights fetched = source.fetch(store, mirror.toUri(), "fake.imagenet");

        assertArrayEquals(content, Files.readAllBytes(fetched.file()));
        WeightSource pinned = source.pinned(store, mirror.toUri()).orElseThrow();
        assertEquals(Sha256.of(content), pinned.sha256());
        assertEquals(content.length, pinned.sizeBytes());
        assertEquals(mirror.resolve("models/fake_zoo.zip").toUri(), pinned.uri());
        assertEquals(fetched, store.fetch(pinned), "the pinned source is an ordinary cached WeightSource");
    }

    @Test
    void wrongAdler32IsRefusedAndNothingIsCachedOrPinned() throws IOException {
        byte[] content = Fixtures.bytes(7, 90_000);
        publish("models/fake_zoo.zip", content);
        Dl4jZooSource wrong = new Dl4jZooSource("models/fake_zoo.zip", adler32(content) ^ 1, null, null);

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> wrong.fetch(store, mirror.toUri(), "fake.imagenet"));

        assertTrue(e.getMessage().contains("Adler-32 expected " + wrong.adler32()), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.of(content)), "names the SHA-256 received: " + e.getMessage());
        assertEquals(List.of(), Fixtures.regularFiles(store.root()));
        assertFalse(Files.exists(wrong.pinFile(store)));
    }

    @Test
    void afterPinningAFileWithTheSameAdler32ButOtherBytesIsRefused() throws IOException {
        byte[] content = new byte[4_000];
        java.util.Arrays.fill(content, (byte) 100);
        Dl4jZooSource source = publish("models/fake_zoo.zip", content);
        CachedWeights first = source.fetch(store, mirror.toUri(), "fake.imagenet");
        Files.delete(first.file());
        // +1, -2, +1 on three neighbouring bytes leaves both Adler-32 sums unchanged: a collision.
        byte[] forged = content.clone();
        forged[50] += 1;
        forged[51] -= 2;
        forged[52] += 1;
        assertEquals(adler32(content), adler32(forged));
        assertNotEquals(Sha256.of(content), Sha256.of(forged));
        Files.write(mirror.resolve("models/fake_zoo.zip"), forged);

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> source.fetch(store, mirror.toUri(), "fake.imagenet"));

        assertTrue(e.getMessage().contains(source.pinFile(store).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.of(forged)), e.getMessage());
        assertEquals(List.of("pins/dl4j-zoo/models/fake_zoo.zip.pin"), Fixtures.regularFiles(store.root()));
    }

    @Test
    void unreachableHostNamesUrlCacheAndImportCommand() throws IOException {
        Dl4jZooSource source = new Dl4jZooSource("models/absent.zip", 1L, null, null);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class,
                () -> source.fetch(store, mirror.toUri(), "resnet50.imagenet"));

        assertTrue(e.getMessage().contains(source.uri(mirror.toUri()).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(store.root().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("./tl4j zoo import FILE --as resnet50.imagenet"), e.getMessage());
    }

    @Test
    void importOfALocalCopyChecksAdler32AndPins() throws IOException {
        byte[] content = Fixtures.bytes(8, 30_000);
        Dl4jZooSource source = new Dl4jZooSource("models/local.zip", adler32(content), null, null);
        Path wrong = Files.write(temp.resolve("wrong.zip"), Fixtures.bytes(9, 30_000));
        Path right = Files.write(temp.resolve("right.zip"), content);

        assertThrows(WeightMismatchException.class, () -> source.importFile(store, wrong, mirror.toUri()));
        assertTrue(source.pinned(store, mirror.toUri()).isEmpty());
        CachedWeights imported = source.importFile(store, right, mirror.toUri());

        assertEquals(Sha256.of(content), source.pinned(store, mirror.toUri()).orElseThrow().sha256());
        assertEquals(imported, source.fetch(store, mirror.toUri(), "x"), "no download once imported");
    }

    @Test
    void relativePathsThatEscapeTheBaseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Dl4jZooSource("../etc/passwd", 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Dl4jZooSource("/models/x.zip", 1, null, null));
    }

    private Dl4jZooSource publish(String relativePath, byte[] content) throws IOException {
        Path file = mirror.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return new Dl4jZooSource(relativePath, adler32(content), "test", "Dl4jZooSourceTest");
    }

    private static long adler32(byte[] content) {
        Adler32 adler = new Adler32();
        adler.update(content);
        return adler.getValue();
    }
}
