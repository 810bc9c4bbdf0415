package org.tl4j.zoo.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mutable state of one import: the DL4J graph being built, the ONNX values seen so far, the parameters to set
 * once the graph exists, and the names given to vertices.
 */
final class ImportContext {

    private final ComputationGraphConfiguration.GraphBuilder builder;
    private final String modelName;
    private final Map<String, List<Onnx.NodeProto>> consumers;
    private final Set<String> graphOutputs;
    private final Set<String> biasAddsFused = new HashSet<>();
    private final Map<String, OnnxValue> values = new HashMap<>();
    private final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    private final Set<String> vertexNames = new HashSet<>();
    private final Map<String, String> nodeToVertex = new LinkedHashMap<>();

    ImportContext(ComputationGraphConfiguration.GraphBuilder builder, String modelName, Onnx.GraphProto graph) {
        this.builder = builder;
        this.modelName = modelName;
        this.consumers = new HashMap<>();
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String in : new LinkedHashSet<>(n.getInputList())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        this.graphOutputs = new HashSet<>();
        graph.getOutputList().forEach(vi -> graphOutputs.add(vi.getName()));
    }

    /** The only node reading {@code value}, or {@code null} when several do or it is also a graph output. */
    Onnx.NodeProto soleConsumer(String value) {
        List<Onnx.NodeProto> readers = consumers.getOrDefault(value, List.of());
        return readers.size() == 1 && !graphOutputs.contains(value) ? readers.get(0) : null;
    }

    /** Marks an Add whose constant operand became the bias of the dense layer before it (MatMul + Add). */
    void fuseBiasAdd(Onnx.NodeProto add) {
        biasAddsFused.add(add.getOutput(0));
    }

    boolean isFusedBiasAdd(OnnxNode add) {
        return biasAddsFused.contains(add.outputs().get(0));
    }

    String modelName() {
        return modelName;
    }

    void define(String onnxName, OnnxValue value) {
        values.put(onnxName, value);
    }

    OnnxValue value(String onnxName) {
        return values.get(onnxName);
    }

    /** Input {@code i} of a node, which must be an activation (not an initializer). */
    OnnxValue activation(OnnxNode node, int i) {
        OnnxValue v = required(node, i);
        if (v.isConstant()) {
            throw node.unsupported("input " + i + " ('" + node.input(i) + "') is a constant; the importer maps "
                    + "this input to a DL4J activation, so it must come from the graph input or another node");
        }
        return v;
    }

    /** Input {@code i} of a node, which must be known at import time (initializer or Constant). */
    INDArray constant(OnnxNode node, int i) {
        OnnxValue v = required(node, i);
        if (!v.isConstant()) {
            throw node.unsupported("input " + i + " ('" + node.input(i) + "') is computed at run time; the "
                    + "importer needs it as an initializer or Constant to turn it into DL4J parameters");
        }
        return v.constant();
    }

    /** Optional constant input: {@code null} when the node omits it. */
    INDArray optionalConstant(OnnxNode node, int i) {
        return node.input(i) == null ? null : constant(node, i);
    }

    private OnnxValue required(OnnxNode node, int i) {
        String name = node.input(i);
        if (name == null) {
            throw node.invalid("required input " + i + " is missing");
        }
        OnnxValue v = values.get(name);
        if (v == null) {
            throw node.invalid("input '" + name + "' is neither a graph input, an initializer nor the output of"
                    + " an earlier node (nodes must be in topological order)");
        }
        return v;
    }

    /** Fails when any output after the first is used by another node or is a graph output. */
    void requireOnlyFirstOutputUsed(OnnxNode node) {
        for (int i = 1; i < node.outputs().size(); i++) {
            String out = node.outputs().get(i);
            if (!out.isEmpty() && (consumers.containsKey(out) || graphOutputs.contains(out))) {
                throw node.unsupported("output " + i + " ('" + out + "') is used; DL4J layers give one output, "
                        + "only the first output of this operator can be imported");
            }
        }
    }

    /** A fresh DL4J vertex name derived from the node's name, plus a suffix for helper vertices. */
    String vertexName(OnnxNode node, String suffix) {
        String base = sanitise(node.displayName()) + suffix;
        if (base.isEmpty()) {
            base = node.opType().toLowerCase();
        }
        String name = base;
        for (int n = 2; vertexNames.contains(name); n++) {
            name = base + "_" + n;
        }
        vertexNames.add(name);
        return name;
    }

    /** Reserves a name for a graph input (sanitised, unique). */
    String inputName(String onnxName) {
        String name = sanitise(onnxName);
        String base = name.isEmpty() ? "input" : name;
        name = base;
        for (int n = 2; vertexNames.contains(name); n++) {
            name = base + "_" + n;
        }
        vertexNames.add(name);
        return name;
    }

    /**
     * Names like {@code /layer1/layer1.0/conv1/Conv} (PyTorch's exporter) become
     * {@code layer1_layer1.0_conv1_Conv}: recognisable, and safe in DL4J's JSON and file names.
     */
    static String sanitise(String onnxName) {
        String s = onnxName.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        s = s.replaceAll("_+", "_");
        s = s.replaceAll("^_", "");
        return s;
    }

    void addLayer(String name, Layer layer, String... inputs) {
        builder.addLayer(name, layer, inputs);
    }

    void addVertex(String name, GraphVertex vertex, String... inputs) {
        builder.addVertex(name, vertex, inputs);
    }

    /** Records a parameter value to assign once the graph is initialised. */
    void setParam(String vertex, String param, INDArray value) {
        params.computeIfAbsent(vertex, k -> new LinkedHashMap<>()).put(param, value);
    }

    /** Defines the node's first output as the activation of {@code vertex} and records the node's vertex. */
    void produce(OnnxNode node, String vertex, long[] shape) {
        define(node.outputs().get(0), OnnxValue.activation(vertex, shape));
        nodeToVertex.put(node.displayName(), vertex);
    }

    /** The node's first output is the same activation as {@code value} (Identity, inference-time Dropout). */
    void alias(OnnxNode node, OnnxValue value) {
        define(node.outputs().get(0), value);
        if (value.vertex() != null) {
            nodeToVertex.put(node.displayName(), value.vertex());
        }
    }

    Map<String, Map<String, INDArray>> params() {
        return params;
    }

    Map<String, String> nodeToVertex() {
        return nodeToVertex;
    }

    static long[] concat(long first, long... rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    static String shape(long[] s) {
        return Arrays.toString(s);
    }
}
