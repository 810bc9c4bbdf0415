package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertedGraphCacheTest {

    @TempDir
    Path temp;
    private WeightStore store;
    private CountingConverter converter;

    /** Stands in for the ONNX importer: the "ONNX file" is a seed in text, the graph's weights follow from it. */
    private static final class CountingConverter implements OnnxToGraph {
        final List<Path> calls = new ArrayList<>();
        String version = "1";

        @Override
        public ComputationGraph convert(Path onnx) throws IOException {
            calls.add(onnx);
            return TinyGraphs.build(Long.parseLong(Files.readString(onnx).strip()));
        }

        @Override
        public String version() {
            return version;
        }
    }

    @BeforeEach
    void setUp() {
        store = Fixtures.store(temp.resolve("cache"));
        converter = new CountingConverter();
    }

    @Test
    void secondCallReusesTheConvertedZip() throws IOException {
        Path onnx = Files.writeString(temp.resolve("model.onnx"), "11");
        ConvertedGraphCache cache = new ConvertedGraphCache(store, converter);

        CachedWeights first = cache.zipFor(onnx);
        CachedWeights second = new ConvertedGraphCache(store, converter).zipFor(onnx);

        assertEquals(1, converter.calls.size());
        assertEquals(first, second);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(first.file().toFile(), false);
        assertEquals(TinyGraphs.build(11).params(), restored.params(), "the zip holds the converted weights");
    }

    @Test
    void changedOnnxBytesAreConvertedAgain() throws IOException {
        Path onnx = Files.writeString(temp.resolve("model.onnx"), "11");
        ConvertedGraphCache cache = new ConvertedGraphCache(store, converter);
        CachedWeights before = cache.zipFor(onnx);

        Files.writeString(onnx, "12");
        CachedWeights after = cache.zipFor(onnx);

        assertEquals(2, converter.calls.size());
        assertNotEquals(before.sha256(), after.sha256());
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(after.file().toFile(), false);
        assertEquals(TinyGraphs.build(12).params(), restored.params());
    }

    @Test
    void sameBytesUnderAnotherNameAreNotConvertedAgain() throws IOException {
        Path a = Files.writeString(temp.resolve("a.onnx"), "11");
        Path b = Files.writeString(temp.resolve("b.onnx"), "11");
        ConvertedGraphCache cache = new ConvertedGraphCache(store, converter);

        assertEquals(cache.zipFor(a), cache.zipFor(b));
        assertEquals(1, converter.calls.size());
    }

    @Test
    void corruptConvertedZipIsConvertedAgain() throws IOException {
        Path onnx = Files.writeString(temp.resolve("model.onnx"), "11");
        ConvertedGraphCache cache = new ConvertedGraphCache(store, converter);
        CachedWeights first = cache.zipFor(onnx);
        Files.write(first.file(), new byte[(int) first.sizeBytes()]);
        // Corruption happens later than the verification in real life; on a quiet machine both can fall in one
        // file-system clock tick, which the size+mtime marker cannot tell apart.
        Files.setLastModifiedTime(first.file(), java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(first.file()).toInstant().plusSeconds(1)));

        CachedWeights second = cache.zipFor(onnx);

        assertEquals(2, converter.calls.size());
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(second.file().toFile(), false);
        assertEquals(TinyGraphs.build(11).params(), restored.params(), "rebuilt from the ONNX file");
    }

    @Test
    void newConverterVersionConvertsAgain() throws IOException {
        Path onnx = Files.writeString(temp.resolve("model.onnx"), "11");
        new ConvertedGraphCache(store, converter).zipFor(onnx);

        converter.version = "2";
        new ConvertedGraphCache(store, converter).zipFor(onnx);

        assertEquals(2, converter.calls.size());
    }

    @Test
    void convertedZipsAreCheckedByVerifyAll() throws IOException {
        Path onnx = Files.writeString(temp.resolve("model.onnx"), "11");
        CachedWeights zip = new ConvertedGraphCache(store, converter).zipFor(onnx);

        VerifyReport report = store.verifyAll();

        assertTrue(report.allGood());
        assertEquals(List.of(zip), report.good());
    }
}
