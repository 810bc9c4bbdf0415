package org.tl4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.data.InvalidInputException;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.onnx.OnnxMetadata;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.InputSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.weights.WeightSettings;
import org.tl4j.zoo.safety.ModelFileRejectedException;
import org.tl4j.zoo.safety.SafeModelLoader;

/**
 * What {@code --model} names: an adapter id (its pretrained weights, or seeded random weights when asked), a
 * model tl4j trained ({@code RUN/model.zip} with its {@link TrainedModel} metadata: adapter, preprocessing, class
 * names), or a plain DL4J model zip written with ModelSerializer, whose adapter gives the input size and
 * preprocessing when named with {@code --adapter}.
 *
 * @param graph      the graph
 * @param adapter    the adapter it was built from or belongs to, or null
 * @param inputShape one example's input {C, H, W}
 * @param label      for file names and messages
 * @param metadata   what an exported file should record about it (preprocessing, adapter, classes)
 */
record ModelArgument(ComputationGraph graph, AdapterSpec adapter, long[] inputShape, String label,
                     Map<String, String> metadata) {

    /** Key of the class names (a JSON array, in output order) in exported files of trained models. */
    static final String CLASSES = "tl4j.classes";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param model      adapter id or path of a model zip
     * @param adapterId  with a zip: the adapter it came from (or null)
     * @param inputShape with a zip and no adapter: "C,H,W" (or null)
     * @param untrained  with an adapter id: build it with seeded random weights instead of loading its weights
     */
    static ModelArgument resolve(String model, String adapterId, String inputShape, boolean untrained, long seed,
                                 WeightSettings settings) throws IOException {
        Path path = Path.of(model);
        if (model.endsWith(".zip") || Files.isRegularFile(path)) {
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException("no such model file: " + path + " (give a run's model.zip or an"
                        + " adapter id; see tl4j zoo list)");
            }
            if (hasTl4jMetadata(path)) {
                return trained(path);
            }
            ComputationGraph graph;
            try {
                graph = SafeModelLoader.standard().restoreComputationGraph(path, false);
            } catch (ModelFileRejectedException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new InvalidInputException(path + " is not a DL4J ComputationGraph zip (" + e.getMessage()
                        + "); give a model.zip written by tl4j or ModelSerializer", e);
            }
            AdapterSpec adapter = adapterId == null ? null : adapter(adapterId);
            long[] shape = inputShape != null ? parseShape(inputShape)
                    : adapter != null ? chw(adapter) : null;
            if (shape == null) {
                throw new InvalidInputException(path + " does not record its input size: name its adapter with"
                        + " --adapter ID (also records its preprocessing) or give --input-shape C,H,W");
            }
            String label = path.getFileName().toString().replaceFirst("\\.zip$", "");
            return new ModelArgument(graph, adapter, shape, label,
                    adapter == null ? Map.of() : OnnxMetadata.of(adapter));
        }
        AdapterSpec adapter = adapter(model);
        ComputationGraph graph;
        if (untrained) {
            graph = Architectures.build(adapter, seed);
        } else if (adapter.hasWeights()) {
            graph = new AdapterLoader(settings).load(adapter).graph();
        } else {
            throw new InvalidInputException("adapter " + adapter.id() + " has no trained weights; pass --untrained"
                    + " to use its architecture with seeded random weights");
        }
        return new ModelArgument(graph, adapter, chw(adapter), adapter.id() + (untrained ? "-untrained" : ""),
                OnnxMetadata.of(adapter));
    }

    private static boolean hasTl4jMetadata(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.getEntry(TrainedModel.ENTRY) != null;
        } catch (IOException e) {
            return false; // not a zip: reported when DL4J tries to read it
        }
    }

    /** A model tl4j trained: its own metadata says the adapter, preprocessing and class names. */
    private static ModelArgument trained(Path zip) throws IOException {
        TrainedModel model = TrainedModel.load(zip);
        TrainedModel.Metadata m = model.metadata();
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(m.adapterId());
        } catch (UnknownAdapterException e) {
            adapter = null; // its taps are unknown here; --tap then takes layer names
        }
        InputSpec input = model.input();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(OnnxMetadata.ADAPTER, m.adapterId());
        metadata.putAll(OnnxMetadata.of(input));
        metadata.put(CLASSES, JSON.writeValueAsString(m.classNames()));
        Path run = zip.toAbsolutePath().getParent();
        String label = run == null ? m.adapterId() : run.getFileName() + "-" + m.adapterId();
        return new ModelArgument(model.graph(), adapter, new long[] {input.channels(), input.height(), input.width()},
                label, metadata);
    }

    private static AdapterSpec adapter(String id) throws IOException {
        try {
            return AdapterRegistry.standard().get(id);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage() + " (give an adapter id or the path of a model.zip)", e);
        }
    }

    static long[] chw(AdapterSpec spec) {
        return new long[] {spec.input().channels(), spec.input().height(), spec.input().width()};
    }

    static long[] parseShape(String text) {
        try {
            long[] s = Arrays.stream(text.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
            if (s.length == 3 && Arrays.stream(s).allMatch(d -> d > 0)) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--input-shape '" + text + "' is not C,H,W (three positive integers, e.g."
                + " 3,224,224)");
    }

    /** The layer a tap name (of the adapter) or layer name stands for. */
    String layerFor(String tapOrLayer) {
        String layer = adapter == null ? tapOrLayer
                : adapter.tap(tapOrLayer).map(t -> t.layer()).orElse(tapOrLayer);
        if (graph.getConfiguration().getVertices().get(layer) == null) {
            String taps = adapter == null ? "" : "; taps: " + adapter.taps().stream().map(t -> t.name()).toList();
            throw new InvalidInputException("--tap '" + tapOrLayer + "' is neither a tap nor a layer of " + label
                    + taps);
        }
        return layer;
    }
}
