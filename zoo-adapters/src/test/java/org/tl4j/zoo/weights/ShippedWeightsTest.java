package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.WeightSource;

/**
 * The weight files tl4j ships in its jar ({@code classpath:} sources): present, the bytes their descriptor's
 * SHA-256 and size name, a few MB at most, and described by how they were trained. (Whether they still reach their
 * recorded held-out accuracy is checked by the acceptance test ShippedSourcesTest, which needs the data.)
 */
class ShippedWeightsTest {

    /** "A few MB at most" (issue 6): the jar carries every shipped source. */
    static final long MAX_BYTES = 10L * 1024 * 1024;

    @TempDir
    Path temp;

    private static List<WeightSource> shipped() {
        return AdapterRegistry.builtIn().all().stream().flatMap(spec -> spec.weights().stream())
                .filter(w -> Downloader.CLASSPATH_SCHEME.equals(w.uri().getScheme())).toList();
    }

    @Test
    void atLeastTheGlyphResNetIsShippedWithItsClassNames() throws IOException {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet-small.glyphs");
        assertEquals(Downloader.CLASSPATH_SCHEME, spec.weights().get(0).uri().getScheme());
        assertEquals(62, spec.head().classes());
        try (InputStream in = ShippedWeightsTest.class.getClassLoader().getResourceAsStream(spec.head().classNames())) {
            assertNotNull(in, spec.head().classNames());
            List<String> names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(62, names.size(), "the source head's classes are named, in output order (LEEP needs them)");
            assertEquals(List.of("digit-0", "lower-a", "upper-A"), List.of(names.get(0), names.get(10), names.get(36)));
        }
    }

    @Test
    void everyShippedFileIsPresentSmallAndMatchesItsSha256AndSize() throws IOException {
        for (WeightSource source : shipped()) {
            String resource = Downloader.classpathResource(source.uri());
            Path copy = temp.resolve(source.fileName());
            try (InputStream in = ShippedWeightsTest.class.getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, "missing on the class path: " + resource);
                Files.copy(in, copy);
            }
            Digests digests = Digests.of(copy);
            assertEquals(source.sha256(), digests.sha256(), resource);
            assertEquals(source.sizeBytes(), digests.sizeBytes(), resource);
            assertTrue(digests.sizeBytes() <= MAX_BYTES, resource + " is " + digests.sizeBytes() + " bytes");
            assertNotNull(source.training(), resource + ": a shipped file records how it was trained");
            assertTrue(source.training().command().startsWith("./tl4j fit "), source.training().command());
        }
    }
}
