package org.tl4j.zoo.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.zoo.safety.ModelFileRejectedException;
import org.tl4j.zoo.safety.SafeModelLoader;
import org.tl4j.zoo.spec.WeightSource;

/**
 * One entry point from "where the weights come from" to a verified DL4J model zip and its graph: downloaded
 * zips, DL4J zoo files (pinned on first download), ONNX files (downloaded or local, converted once and cached),
 * and DL4J zips the user already has.
 */
public final class WeightResolver {

    private final WeightStore store;
    private final WeightSettings settings;
    private final ConvertedGraphCache converted;

    /**
     * @param settings  cache directory, zoo mirror and download limits
     * @param converter the ONNX importer; may be null when no ONNX source will be used
     */
    public WeightResolver(WeightSettings settings, OnnxToGraph converter) {
        this(WeightStore.open(settings), settings, converter);
    }

    WeightResolver(WeightStore store, WeightSettings settings, OnnxToGraph converter) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.converted = converter == null ? null : new ConvertedGraphCache(store, converter);
    }

    /** The cache behind this resolver (for {@code verifyAll} and imports). */
    public WeightStore store() {
        return store;
    }

    /**
     * A verified DL4J zip for {@code source}: fetched as is for {@link WeightSource.Format#DL4J_ZIP}, fetched and
     * converted (once per ONNX SHA-256) for {@link WeightSource.Format#ONNX}.
     *
     * @param modelId the model's id, shown in the {@code ./tl4j zoo import} hint when a download fails
     */
    public CachedWeights dl4jZip(WeightSource source, String modelId) throws IOException {
        CachedWeights fetched = fetch(source, modelId);
        return switch (source.format()) {
            case DL4J_ZIP -> fetched;
            case ONNX -> requireConverter(source.uri().toString()).zipFor(fetched);
        };
    }

    /**
     * The verified file of {@code source} as published (ONNX files are not converted), downloading it when it
     * is not cached; DL4J zoo sources go through their mirror and Adler-32 pin.
     */
    public CachedWeights fetch(WeightSource source, String modelId) throws IOException {
        return source.isDl4jZoo() ? dl4jZip(Dl4jZooSource.of(source), modelId) : store.fetch(source, modelId);
    }

    /** Places a copy the user obtained by hand into the cache as {@code source}, after checking it. */
    public CachedWeights importFile(Path file, WeightSource source) throws IOException {
        return source.isDl4jZoo()
                ? Dl4jZooSource.of(source).importFile(store, file, settings.zooBaseUrl())
                : store.importFile(file, source);
    }

    /** A verified DL4J zip from DL4J's zoo (or the configured mirror), pinned on first download. */
    public CachedWeights dl4jZip(Dl4jZooSource source, String modelId) throws IOException {
        return source.fetch(store, settings.zooBaseUrl(), modelId);
    }

    /** A DL4J zip for a file the user names: a DL4J model zip is used in place, an ONNX file is converted. */
    public CachedWeights dl4jZip(Path localFile) throws IOException {
        String name = localFile.getFileName() == null ? "" : localFile.getFileName().toString().toLowerCase();
        if (name.endsWith(".onnx")) {
            return requireConverter(localFile.toString()).zipFor(localFile);
        }
        return LocalModelZip.open(localFile);
    }

    /**
     * Reads a zip this resolver returned into a graph (without updater state: weights are for transfer), through
     * {@link SafeModelLoader}: the file is checked and never deserialises Java objects.
     *
     * @throws ModelFileRejectedException when the file is unsafe, damaged or not a ComputationGraph zip
     * @throws WeightsException           naming the file when DL4J cannot read it as a ComputationGraph
     */
    public static ComputationGraph load(CachedWeights zip) throws IOException {
        return load(zip, SafeModelLoader.standard());
    }

    /** {@link #load(CachedWeights)} with the given loader (e.g. {@code SafeModelLoader.of(trustModel)}). */
    public static ComputationGraph load(CachedWeights zip, SafeModelLoader loader) throws IOException {
        try {
            return loader.restoreComputationGraph(zip.file(), false);
        } catch (ModelFileRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WeightsException("Cannot read " + zip.file() + " as a DL4J ComputationGraph (" + e.getMessage()
                    + "); is it a MultiLayerNetwork or from another DL4J version? Re-save it with"
                    + " ModelSerializer.writeModel(ComputationGraph, ...)", e);
        }
    }

    private ConvertedGraphCache requireConverter(String what) throws WeightsException {
        if (converted == null) {
            throw new WeightsException(what + " is an ONNX model, but no ONNX importer was given to the weight"
                    + " resolver; this is a wiring bug in tl4j, please report it");
        }
        return converted;
    }
}
