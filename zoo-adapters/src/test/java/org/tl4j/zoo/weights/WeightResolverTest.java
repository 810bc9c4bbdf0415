package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.WeightSource;

class WeightResolverTest {

    @TempDir
    Path temp;
    private final AtomicInteger conversions = new AtomicInteger();
    private WeightResolver resolver;

    @BeforeEach
    void setUp() {
        WeightSettings settings = WeightSettings.fromEnvironment(Map.of(), temp).withCacheDir(temp.resolve("cache"))
                .withDownload(Fixtures.FAST);
        OnnxToGraph converter = onnx -> {
            conversions.incrementAndGet();
            return TinyGraphs.build(Long.parseLong(Files.readString(onnx).strip()));
        };
        resolver = new WeightResolver(settings, converter);
    }

    @Test
    void onnxSourceIsFetchedThenConvertedOnce() throws IOException {
        byte[] onnxBytes = "21".getBytes();
        Path published = Files.write(temp.resolve("model.onnx"), onnxBytes);
        WeightSource source = new WeightSource(published.toUri(), WeightSource.Format.ONNX, Sha256.of(onnxBytes),
                onnxBytes.length, "test", "test");

        CachedWeights zip = resolver.dl4jZip(source, "tiny.onnx");
        CachedWeights again = resolver.dl4jZip(source, "tiny.onnx");

        assertEquals(zip, again);
        assertEquals(1, conversions.get());
        assertEquals(TinyGraphs.build(21).params(), WeightResolver.load(zip).params());
    }

    @Test
    void dl4jZipSourceIsFetchedAsIs() throws IOException {
        Path published = temp.resolve("model.zip");
        ModelSerializer.writeModel(TinyGraphs.build(3), published.toFile(), false);
        byte[] bytes = Files.readAllBytes(published);
        WeightSource source = new WeightSource(published.toUri(), WeightSource.Format.DL4J_ZIP, Sha256.of(bytes),
                bytes.length, "test", "test");

        CachedWeights zip = resolver.dl4jZip(source, "tiny");

        assertEquals(source.sha256(), zip.sha256());
        assertEquals(TinyGraphs.build(3).params(), WeightResolver.load(zip).params());
        assertEquals(0, conversions.get());
    }

    @Test
    void localFilesAreUsedInPlaceOrConverted() throws IOException {
        Path zipFile = temp.resolve("mine.zip");
        ModelSerializer.writeModel(TinyGraphs.build(4), zipFile.toFile(), false);
        Path onnxFile = Files.writeString(temp.resolve("mine.onnx"), "5");

        assertEquals(zipFile, resolver.dl4jZip(zipFile).file());
        assertEquals(TinyGraphs.build(5).params(), WeightResolver.load(resolver.dl4jZip(onnxFile)).params());
        assertEquals(1, conversions.get());
    }

    @Test
    void unreadableZipIsNamedWhenLoading() throws IOException {
        Path bogus = Files.write(temp.resolve("bogus.zip"), new byte[] {1, 2, 3});

        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightResolver.load(new CachedWeights(bogus, Sha256.of(bogus), 3)));

        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
    }
}
