package org.tl4j.infer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.zoo.onnx.ExportOptions;
import org.tl4j.zoo.onnx.OnnxExportException;
import org.tl4j.zoo.onnx.OnnxExporter;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The ONNX files ONNX Runtime runs, kept in a cache folder ({@code $TL4J_CACHE/onnx}, else
 * {@code ~/.cache/tl4j/onnx}): a tl4j graph's export, named by a hash of its configuration, weights, cut and input
 * shape (so a retrained graph gets a new file and an unchanged one is exported once); or an imported model's source
 * file with the tap added as a graph output, named by a hash of the source's bytes and the output.
 */
public final class OnnxFiles {

    /** Bump when the exporter changes what it writes for the same graph, so old cached exports are not reused. */
    static final String EXPORT_FORMAT = "tl4j-onnx-export-1";

    private final Path dir;

    public OnnxFiles(Path dir) {
        this.dir = dir;
    }

    /** The cache under tl4j's cache root (next to the weights cache). */
    public static OnnxFiles defaultCache() {
        return new OnnxFiles(WeightSettings.fromEnvironment().cacheDir().resolveSibling("onnx"));
    }

    public Path dir() {
        return dir;
    }

    /** The file ONNX Runtime should run for this model, written on first use. */
    public Path fileFor(InferenceModel model) throws IOException {
        return model.onnxSource() == null ? export(model) : withOutput(model);
    }

    /** The graph's export, cut and pooled as the model says; reused when the weights hash matches. */
    Path export(InferenceModel model) throws IOException {
        String key = weightsKey(model);
        Path file = dir.resolve(safe(model.name()) + "-" + key.substring(0, 20) + ".onnx");
        if (Files.isRegularFile(file)) {
            return file;
        }
        ExportOptions options = ExportOptions.whole(model.name(), model.inputShape());
        if (model.cut() != null) {
            options = options.withCut(model.cut(), model.pooled());
        }
        OnnxExporter.write(model.graph(), options, file);
        return file;
    }

    /**
     * The export of a whole tl4j graph ({@code model} without a cut) with the outputs of {@code layers} added as
     * graph outputs (unpooled, after the graph's own outputs), so one forward pass gives every tap: the selector
     * reads several taps and the source head at once. The exporter names each vertex's output value after the
     * vertex, so the layer names are the output names.
     */
    public Path withOutputs(InferenceModel model, java.util.List<String> layers) throws IOException {
        if (model.cut() != null || model.onnxSource() != null) {
            throw new IllegalArgumentException("extra outputs are added to a whole tl4j graph's export, not to a cut"
                    + " or an imported file");
        }
        Path whole = export(model);
        String key = sha256Hex((whole.getFileName() + "|" + String.join(",", layers)).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(safe(model.name()) + "-taps-" + key.substring(0, 20) + ".onnx");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Onnx.ModelProto source;
        try (InputStream in = Files.newInputStream(whole)) {
            source = Onnx.ModelProto.parseFrom(in);
        }
        Onnx.GraphProto.Builder g = source.getGraph().toBuilder();
        java.util.Set<String> values = new java.util.HashSet<>();
        g.getNodeList().forEach(n -> values.addAll(n.getOutputList()));
        java.util.Set<String> present = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> present.add(o.getName()));
        for (String layer : layers) {
            if (!values.contains(layer)) {
                throw new OnnxExportException(whole + " has no value '" + layer + "' to add as an output");
            }
            if (present.add(layer)) {
                g.addOutput(Onnx.ValueInfoProto.newBuilder().setName(layer).setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        writeAtomically(source.toBuilder().setGraph(g).build(), file);
        return file;
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** The imported model's source file with the tap as its only output (pooled when asked). */
    Path withOutput(InferenceModel model) throws IOException {
        MessageDigest digest = sha256();
        Onnx.ModelProto source;
        try (InputStream in = new DigestInputStream(Files.newInputStream(model.onnxSource()), digest)) {
            source = Onnx.ModelProto.parseFrom(in);
        }
        digest.update((model.onnxOutput() + "|" + model.pooled()).getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(digest.digest());
        Path file = dir.resolve(safe(model.name()) + "-tap-" + key.substring(0, 20) + ".onnx");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Onnx.GraphProto.Builder g = source.getGraph().toBuilder().clearOutput();
        String output = model.onnxOutput();
        if (model.pooled()) {
            String pooled = output + "_tl4j_gap";
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("GlobalAveragePool").setName(pooled).addInput(output)
                    .addOutput(pooled));
            String flat = output + "_tl4j_pooled";
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("Flatten").setName(flat).addInput(pooled).addOutput(flat)
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis")
                            .setType(Onnx.AttributeProto.AttributeType.INT).setI(1)));
            output = flat;
        }
        g.addOutput(Onnx.ValueInfoProto.newBuilder().setName(output).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE))));
        writeAtomically(source.toBuilder().setGraph(g).build(), file);
        return file;
    }

    /** SHA-256 of what the graph computes up to the output: configuration, parameters, cut, pooling, input shape. */
    static String weightsKey(InferenceModel model) {
        MessageDigest digest = sha256();
        ComputationGraph graph = model.graph();
        digest.update((EXPORT_FORMAT + "|" + graph.getConfiguration().toJson() + "|" + model.cut() + "|"
                + model.pooled() + "|" + Arrays.toString(model.inputShape())).getBytes(StandardCharsets.UTF_8));
        INDArray params = graph.params();
        if (params != null && params.length() > 0) {
            INDArray flat = params.castTo(DataType.FLOAT).dup('c');
            ByteBuffer bytes = flat.data().asNio();
            bytes.limit((int) (flat.length() * Float.BYTES));
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void writeAtomically(Onnx.ModelProto model, Path file) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                model.writeTo(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
