package org.tl4j.zoo.weights;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX weights converted once and kept as DL4J zips. Converting a 100 MB ONNX file takes far longer than reading
 * a zip, so the result is cached, keyed by the ONNX file's SHA-256 and the converter's {@link OnnxToGraph#version()}:
 * the same bytes are never converted twice, and changed bytes (another file, a new release) are converted again.
 *
 * <p>The zip itself is an ordinary {@link WeightStore} entry (stored under its own SHA-256, so
 * {@code verifyAll} checks it); {@code ROOT/converted/ONNXSHA-vVERSION.ref} records which entry belongs to which
 * ONNX file. A missing or corrupt zip is converted again.
 */
public final class ConvertedGraphCache {

    private static final Logger LOG = LoggerFactory.getLogger(ConvertedGraphCache.class);

    private final WeightStore store;
    private final OnnxToGraph converter;

    /**
     * @param store     where converted zips are kept
     * @param converter the ONNX importer
     * @throws IllegalArgumentException when the converter's version has characters unfit for a file name
     */
    public ConvertedGraphCache(WeightStore store, OnnxToGraph converter) {
        this.store = Objects.requireNonNull(store, "store");
        this.converter = Objects.requireNonNull(converter, "converter");
        if (!converter.version().matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("converter version '" + converter.version()
                    + "' may use only letters, digits, '.', '_' and '-'");
        }
    }

    /** The DL4J zip for an ONNX file anywhere on disk (hashed first to find its key). */
    public CachedWeights zipFor(Path onnx) throws IOException {
        if (!Files.isRegularFile(onnx)) {
            throw new WeightsException("No such ONNX file: " + onnx);
        }
        String sha256 = Sha256.of(onnx);
        return zipFor(new CachedWeights(onnx, sha256, Files.size(onnx)));
    }

    /** The DL4J zip for an ONNX file whose SHA-256 is already known, e.g. one {@link WeightStore#fetch} returned. */
    public CachedWeights zipFor(CachedWeights onnx) throws IOException {
        Path ref = refFile(onnx.sha256());
        Optional<CachedWeights> previous = readRef(ref);
        if (previous.isPresent()) {
            CachedWeights known = previous.get();
            Optional<CachedWeights> hit = store.cached(known.sha256(), zipName(onnx.sha256()), known.sizeBytes());
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        LOG.info("Converting {} (SHA-256 {}) to a DL4J graph", onnx.file(), onnx.sha256());
        ComputationGraph graph = converter.convert(onnx.file());
        Path temp = store.newTempFile(zipName(onnx.sha256()));
        CachedWeights placed;
        try {
            ModelSerializer.writeModel(graph, temp.toFile(), false);
            placed = store.place(temp, zipName(onnx.sha256()), Digests.of(temp));
        } finally {
            Files.deleteIfExists(temp);
        }
        writeRef(ref, onnx, placed);
        return placed;
    }

    /** Where the record linking an ONNX file to its converted zip is kept. */
    Path refFile(String onnxSha256) {
        return store.root().resolve("converted").resolve(onnxSha256 + "-v" + converter.version() + ".ref");
    }

    private static String zipName(String onnxSha256) {
        return "onnx-" + onnxSha256.substring(0, 16) + ".zip";
    }

    private static Optional<CachedWeights> readRef(Path ref) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ref, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String sha = properties.getProperty("zipSha256");
        String size = properties.getProperty("zipSizeBytes", "");
        if (!Sha256.isHex(sha) || !size.matches("\\d+")) {
            LOG.warn("Ignoring damaged conversion record {}; converting again", ref);
            return Optional.empty();
        }
        return Optional.of(new CachedWeights(ref, sha, Long.parseLong(size)));
    }

    private void writeRef(Path ref, CachedWeights onnx, CachedWeights zip) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("onnxSha256", onnx.sha256());
        properties.setProperty("onnxFile", onnx.file().toString());
        properties.setProperty("converterVersion", converter.version());
        properties.setProperty("zipSha256", zip.sha256());
        properties.setProperty("zipSizeBytes", Long.toString(zip.sizeBytes()));
        AtomicProperties.write(ref, properties, "DL4J zip converted by tl4j from an ONNX file");
    }
}
