package org.tl4j.infer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import onnx.Onnx;
import org.tl4j.zoo.onnx.ImportedModel;

/**
 * For a model imported from ONNX: which ONNX value holds a DL4J vertex's output, so ONNX Runtime can run the
 * source file with that value as an output ({@link InferenceModel#withOnnxSource}).
 */
public final class ImportedTaps {

    private ImportedTaps() {
    }

    /**
     * The inference model for {@code imported} read at {@code cut} (a vertex of its graph, or null for its first
     * output), running the source file on ONNX Runtime.
     */
    public static InferenceModel model(ImportedModel imported, Path source, String cut, boolean pooled)
            throws IOException {
        long[] shape = imported.input().shape();
        long[] chw = {shape[1], shape[2], shape[3]};
        String name = source.getFileName().toString().replaceFirst("\\.onnx$", "");
        InferenceModel model = new InferenceModel(name, imported.graph(), chw, cut, pooled, null, null);
        return model.withOnnxSource(source, cut == null ? imported.outputs().get(0).onnxName()
                : onnxValue(imported, source, cut));
    }

    /**
     * The ONNX value computed by the last node that maps to {@code vertex}.
     *
     * @throws IllegalArgumentException when no node maps to it
     */
    public static String onnxValue(ImportedModel imported, Path source, String vertex) throws IOException {
        String node = null;
        for (Map.Entry<String, String> e : imported.nodeToVertex().entrySet()) {
            if (e.getValue().equals(vertex)) {
                node = e.getKey(); // graph order: the last one wins (e.g. the Relu after a Conv's alias)
            }
        }
        if (node == null) {
            throw new IllegalArgumentException(source + ": no ONNX node corresponds to layer '" + vertex + "'");
        }
        Onnx.GraphProto graph;
        try (InputStream in = Files.newInputStream(source)) {
            graph = Onnx.ModelProto.parseFrom(in).getGraph();
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            if (n.getName().equals(node) || (n.getName().isEmpty() && n.getOutput(0).equals(node))) {
                return n.getOutput(0);
            }
        }
        throw new IllegalArgumentException(source + " has no node '" + node + "' (was it imported from this file?)");
    }
}
