package org.tl4j.zoo.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a DL4J {@link ComputationGraph} as an ONNX model (opset {@value #OPSET}, NCHW, float32, symbolic batch
 * dimension), the reverse of {@link OnnxImporter}: the graph's vertices become ONNX nodes in topological order,
 * each vertex's output keeping the vertex's name, its parameters becoming initializers. Inference form only:
 * dropout is the identity, batch normalisation uses the running statistics.
 *
 * <p>Optionally the graph is cut at a vertex (a tap): only what that vertex depends on is written and its output,
 * average-pooled over height and width when asked, is the only graph output, so the file computes CNN codes.
 * Supported vertex and layer types are listed in {@link VertexExporter}; anything else is an
 * {@link OnnxExportException} naming the vertex and its type.
 */
public final class OnnxExporter {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

    /** The opset written (13: the first with Slice/Pad/Squeeze inputs as tensors and Softmax over one axis). */
    public static final int OPSET = 13;
    /** IR version 7 is the one that goes with opset 13. */
    static final long IR_VERSION = 7;
    static final String PRODUCER = "tl4j";

    private OnnxExporter() {
    }

    /** The graph as an ONNX model. */
    public static Onnx.ModelProto export(ComputationGraph graph, ExportOptions options) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        InputType[] inputTypes = inputTypes(conf, options);
        Map<String, InputType> types;
        try {
            types = conf.getLayerActivationTypes(inputTypes);
        } catch (RuntimeException e) {
            throw new OnnxExportException(options.modelName() + ": DL4J cannot infer the activation shapes for input "
                    + Arrays.toString(inputTypes) + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < inputs.size(); i++) {
            types.put(inputs.get(i), inputTypes[i]);
        }
        List<String> outputs = options.cut() == null ? conf.getNetworkOutputs() : List.of(options.cut());
        if (options.cut() != null && !conf.getVertices().containsKey(options.cut())) {
            throw new OnnxExportException(options.modelName() + " has no layer '" + options.cut() + "' to cut at;"
                    + " name one of its layers or taps");
        }
        Set<String> needed = upstream(conf, outputs);

        OnnxGraphWriter writer = new OnnxGraphWriter(options.modelName());
        conf.getVertices().keySet().forEach(writer::reserve);
        inputs.forEach(writer::reserve);
        for (String input : inputs) {
            writer.input(input, perExample(types.get(input)));
        }
        VertexExporter vertices = new VertexExporter(graph, writer, types, options.modelName());
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] all = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            String name = all[index].getVertexName();
            if (needed.contains(name) && !inputs.contains(name)) {
                vertices.export(name, conf.getVertices().get(name), conf.getVertexInputs().get(name));
            }
        }
        if (options.cut() == null) {
            for (String output : outputs) {
                writer.output(output, perExample(types.get(output)));
            }
        } else {
            String cut = options.cut();
            if (inputs.contains(cut)) {
                throw new OnnxExportException(options.modelName() + ": '" + cut + "' is the network input; cut at a"
                        + " layer");
            }
            InputType type = types.get(cut);
            if (options.pooled() && type instanceof InputType.InputTypeConvolutional cnn) {
                String pooled = writer.node("GlobalAveragePool", writer.fresh(cut + "_gap"), cut).build();
                String codes = writer.node("Flatten", writer.fresh(cut + "_pooled"), pooled).integer("axis", 1).build();
                writer.output(codes, new long[] {cnn.getChannels()});
            } else {
                writer.output(cut, perExample(type));
            }
        }
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setProducerVersion(OnnxExporter.class.getPackage().getImplementationVersion() == null ? "dev"
                        : OnnxExporter.class.getPackage().getImplementationVersion())
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(writer.build());
        options.metadata().forEach((k, v) -> model.addMetadataProps(
                Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /**
     * Exports and writes the model to {@code file} atomically (a temporary file in the same folder, then a
     * rename), so a reader never sees half a model.
     */
    public static Onnx.ModelProto write(ComputationGraph graph, ExportOptions options, Path file) throws IOException {
        long start = System.nanoTime();
        Onnx.ModelProto model = export(graph, options);
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                model.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.info("Exported {} to {}: {} nodes, {} initializers, {} MB, in {} ms", options.modelName(), target,
                model.getGraph().getNodeCount(), model.getGraph().getInitializerCount(),
                String.format("%.1f", Files.size(target) / 1e6), (System.nanoTime() - start) / 1_000_000);
        return model;
    }

    private static InputType[] inputTypes(ComputationGraphConfiguration conf, ExportOptions options) {
        int n = conf.getNetworkInputs().size();
        if (options.inputShape() != null) {
            if (n != 1) {
                throw new OnnxExportException(options.modelName() + " has " + n + " inputs; an input shape can only be"
                        + " given for a graph with one input");
            }
            long[] s = options.inputShape();
            return new InputType[] {switch (s.length) {
                case 1 -> InputType.feedForward(s[0]);
                case 3 -> InputType.convolutional(s[1], s[2], s[0]);
                default -> throw new OnnxExportException(options.modelName() + ": input shape "
                        + Arrays.toString(s) + " is neither [C,H,W] nor [D]");
            }};
        }
        // DL4J 1.0.0-M2.1 does not keep setInputTypes(...) in the configuration, so the size must be given.
        throw new OnnxExportException(options.modelName() + ": the input size is unknown (DL4J graph configurations"
                + " do not record it); give it with ExportOptions.withInputShape(C, H, W), e.g. from the adapter's"
                + " input spec");
    }

    /** Shape of one example ([C,H,W] or [D]) of an activation type. */
    static long[] perExample(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional cnn) {
            if (cnn.getFormat() != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW) {
                throw new OnnxExportException("activation " + type + " is NHWC; the exporter writes NCHW graphs");
            }
            return new long[] {cnn.getChannels(), cnn.getHeight(), cnn.getWidth()};
        }
        if (type instanceof InputType.InputTypeFeedForward ff) {
            return new long[] {ff.getSize()};
        }
        throw new OnnxExportException("activation type " + type + " is neither an image nor a vector; the exporter"
                + " writes CNNs");
    }

    /** The vertices the given ones depend on, themselves included. */
    static Set<String> upstream(ComputationGraphConfiguration conf, List<String> start) {
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        Set<String> seen = new HashSet<>(start);
        Deque<String> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            for (String in : inputsOf.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(in)) {
                    todo.push(in);
                }
            }
        }
        return seen;
    }
}
