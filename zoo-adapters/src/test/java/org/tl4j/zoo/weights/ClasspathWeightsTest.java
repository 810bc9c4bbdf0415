package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.WeightSource;

/** Weights shipped inside tl4j's jars: {@code classpath:PATH} sources go through the same checks as downloads. */
class ClasspathWeightsTest {

    /** The text of src/test/resources/classpath-fixture/tiny-weights.bin (written by hand, one line). */
    private static final byte[] FIXTURE =
            "tl4j classpath: source fixture, read back by ClasspathWeightsTest\n".getBytes(StandardCharsets.US_ASCII);
    private static final URI FIXTURE_URI = URI.create("classpath:classpath-fixture/tiny-weights.bin");

    @TempDir
    Path temp;

    @Test
    void aClasspathSourceIsCopiedIntoTheCacheUnderItsFileNameAndVerified() throws IOException {
        WeightSource source = Fixtures.source(FIXTURE_URI, FIXTURE);
        assertEquals("tiny-weights.bin", source.fileName());

        CachedWeights cached = Fixtures.store(temp.resolve("cache")).fetch(source);

        assertArrayEquals(FIXTURE, Files.readAllBytes(cached.file()));
        assertEquals(source.sha256(), cached.sha256());
        assertEquals("tiny-weights.bin", cached.file().getFileName().toString());
    }

    @Test
    void aClasspathFileWithOtherBytesIsRefusedLikeACorruptDownload() {
        byte[] other = "another file".getBytes(StandardCharsets.US_ASCII);
        WeightSource expectsOther = Fixtures.source(FIXTURE_URI, other);

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> Fixtures.store(temp.resolve("cache")).fetch(expectsOther));

        assertTrue(e.getMessage().contains(Sha256.of(FIXTURE)), e.getMessage());
    }

    @Test
    void aMissingResourceNamesItAndSaysHowToRebuild() {
        WeightSource missing = Fixtures.source(URI.create("classpath:weights/no-such.zip"), FIXTURE);

        WeightUnavailableException e = assertThrows(WeightUnavailableException.class,
                () -> Fixtures.store(temp.resolve("cache")).fetch(missing, "x.glyphs"));

        assertTrue(e.getMessage().contains("no resource weights/no-such.zip on tl4j's class path"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn -q -DskipTests package"), e.getMessage());
    }

    @Test
    void aLeadingSlashIsAllowedAndAnEmptyPathRefused() {
        assertEquals("weights/a.zip", Downloader.classpathResource(URI.create("classpath:/weights/a.zip")));
        assertThrows(IllegalArgumentException.class, () -> Downloader.classpathResource(URI.create("classpath:/")));
    }
}
