package org.tl4j.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.safety.SafeModelLoader;
import org.tl4j.zoo.spec.InputSpec;

/**
 * A model tl4j trained, as stored in {@code RUN/model.zip}: DL4J's model file (so
 * {@code ModelSerializer.restoreComputationGraph} reads it, without updater state) with one more zip entry,
 * {@value #ENTRY}, describing what predict, eval, the report and the ONNX export need: the adapter, how images must
 * be prepared, and the class names in output order.
 *
 * <p>The saved graph is an inference graph: tl4j's training wrappers (DL4J's FrozenLayer/FrozenVertex, tl4j's
 * FixedStatisticsBatchNorm) are replaced by the layers they wrap, which compute the same function at inference,
 * so readers need nothing of tl4j's training code.
 *
 * @param graph    the network (input: one image batch, NCHW, prepared as {@link Metadata#input()} says)
 * @param metadata what the network is
 */
public record TrainedModel(ComputationGraph graph, Metadata metadata) {

    /** The zip entry holding {@link Metadata} as JSON. */
    public static final String ENTRY = "tl4j/model.json";
    /** Version of {@link Metadata}'s layout. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What a trained model is.
     *
     * @param format     {@link #FORMAT_VERSION}
     * @param adapterId  the adapter it was built from (e.g. {@code resnet50-small})
     * @param strategy   how it was trained ({@link Strategy#cliName()})
     * @param tap        the tap its head reads
     * @param input      how an image must be prepared for it
     * @param classNames its outputs' class names, in output order
     * @param output     name of its output layer
     */
    public record Metadata(int format, String adapterId, String strategy, String tap, InputDescription input,
                           List<String> classNames, String output) {
        public Metadata {
            Objects.requireNonNull(adapterId, "adapterId");
            classNames = List.copyOf(classNames);
        }
    }

    /**
     * {@link InputSpec} as plain JSON fields (names as in the adapter descriptors).
     *
     * @param height       input height in pixels
     * @param width        input width in pixels
     * @param channelOrder RGB, BGR or GRAY
     * @param pixelRange   UNIT (0..1) or BYTE (0..255) before mean/std
     * @param mean         per channel, in the pixel range
     * @param std          per channel, in the pixel range
     * @param resize       CENTER_CROP, PAD or STRETCH
     */
    public record InputDescription(int height, int width, String channelOrder, String pixelRange, double[] mean,
                                   double[] std, String resize) {

        /** The description of a spec. */
        public static InputDescription of(InputSpec spec) {
            return new InputDescription(spec.height(), spec.width(), spec.channelOrder().name(),
                    spec.pixelRange().name(), spec.mean(), spec.std(), spec.resize().name());
        }

        /** Back to an {@link InputSpec}. */
        public InputSpec toSpec() {
            return new InputSpec(height, width, InputSpec.ChannelOrder.valueOf(channelOrder),
                    InputSpec.PixelRange.valueOf(pixelRange), mean, std, InputSpec.ResizePolicy.valueOf(resize));
        }
    }

    public TrainedModel {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** How images must be prepared for this model. */
    public InputSpec input() {
        return metadata.input().toSpec();
    }

    /** Class names in output order. */
    public List<String> classNames() {
        return metadata.classNames();
    }

    /**
     * Writes the model atomically to {@code file}: DL4J's zip of the inference graph (no updater state), plus the
     * {@value #ENTRY} entry.
     */
    public void save(Path file) throws IOException {
        ComputationGraph inference = inferenceGraph(graph);
        byte[] json = JSON.writeValueAsBytes(metadata);
        AtomicFiles.writeFile(file, temp -> {
            Path plain = temp.resolveSibling(temp.getFileName() + ".dl4j");
            try {
                ModelSerializer.writeModel(inference, plain.toFile(), false);
                addEntry(plain, temp, json);
            } finally {
                Files.deleteIfExists(plain);
            }
        });
    }

    /**
     * Copies DL4J's zip and adds the metadata entry. A file entry only, no directory entry: DL4J's reader
     * (ModelSerializer.loadZipData) fails on a directory entry such as {@code tl4j/}.
     */
    private static void addEntry(Path dl4jZip, Path target, byte[] json) throws IOException {
        try (ZipFile in = new ZipFile(dl4jZip.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(ENTRY));
            out.write(json);
            out.closeEntry();
        }
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws InvalidInputException when the file is missing, not a DL4J model, or has no {@value #ENTRY}
     */
    public static TrainedModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + " does not exist: pass the model.zip a ./tl4j fit run wrote");
        }
        return new TrainedModel(readGraph(file), readMetadata(file));
    }

    /** Only the metadata of a saved model (cheap: the weights are not read). */
    public static Metadata readMetadata(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                throw new InvalidInputException(file + " has no " + ENTRY + " entry: it is not a model tl4j trained"
                        + " (train one with ./tl4j fit)");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Metadata metadata = JSON.readValue(in, Metadata.class);
                if (metadata.format() != FORMAT_VERSION) {
                    throw new InvalidInputException(file + ": " + ENTRY + " has format " + metadata.format()
                            + ", this tl4j reads " + FORMAT_VERSION + "; retrain it or use a matching tl4j");
                }
                return metadata;
            }
        } catch (java.util.zip.ZipException e) {
            throw new InvalidInputException(file + " is not a zip file (" + e.getMessage() + "): pass the model.zip"
                    + " a ./tl4j fit run wrote", e);
        }
    }

    private static ComputationGraph readGraph(Path file) throws IOException {
        try {
            return SafeModelLoader.standard().restoreComputationGraph(file, false);
        } catch (RuntimeException e) {
            throw new InvalidInputException(file + " is not a DL4J ComputationGraph model (" + e.getMessage()
                    + "): pass the model.zip a ./tl4j fit run wrote", e);
        }
    }

    /**
     * A copy of a training graph with the same parameters and no training wrappers: FrozenLayer,
     * FrozenLayerWithBackprop, FrozenVertex and FixedStatisticsBatchNorm are replaced by what they wrap (each
     * computes its wrapped layer's inference function, and the parameter layout is the same).
     */
    public static ComputationGraph inferenceGraph(ComputationGraph training) {
        ComputationGraphConfiguration conf = training.getConfiguration().clone();
        boolean changed = false;
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (entry.getValue() instanceof FrozenVertex frozen) {
                entry.setValue(frozen.getUnderlying());
                changed = true;
            } else if (entry.getValue() instanceof LayerVertex vertex) {
                Layer layer = vertex.getLayerConf().getLayer();
                Layer plain = unwrap(layer);
                if (plain != layer) {
                    plain.setLayerName(entry.getKey());
                    vertex.getLayerConf().setLayer(plain);
                    changed = true;
                }
            }
        }
        if (!changed) {
            return training;
        }
        ComputationGraph result = new ComputationGraph(conf);
        result.init(training.params().dup(), false);
        return result;
    }

    private static Layer unwrap(Layer layer) {
        Layer current = layer;
        while (true) {
            if (current instanceof FrozenLayer frozen) {
                current = frozen.getLayer();
            } else if (current instanceof FrozenLayerWithBackprop frozen) {
                current = frozen.getUnderlying();
            } else if (current instanceof FixedStatisticsBatchNorm fixed) {
                current = fixed.getUnderlying();
            } else {
                return current;
            }
        }
    }
}
