package org.tl4j.zoo.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Accumulates an ONNX {@code GraphProto}: nodes in the order added (callers add them topologically), float
 * initializers in raw little-endian form (as the ONNX spec fixes), and typed inputs and outputs whose batch
 * dimension is the symbolic {@value #BATCH}. Uses ONNX's own generated protobuf classes shipped in nd4j-api,
 * the same the importer parses with.
 */
final class OnnxGraphWriter {

    /** Name of the symbolic batch dimension of every input and output. */
    static final String BATCH = "N";

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    OnnxGraphWriter(String name) {
        graph.setName(name);
    }

    /** A value name not used yet, {@code base} itself when it is free. */
    String fresh(String base) {
        String name = base;
        for (int i = 2; names.contains(name); i++) {
            name = base + "_" + i;
        }
        names.add(name);
        return name;
    }

    /** Reserves a name that must be kept as it is (a DL4J vertex name). */
    void reserve(String name) {
        names.add(name);
    }

    /** Adds a float initializer holding {@code values} in C order; returns its name. */
    String floats(String base, INDArray values) {
        INDArray c = values.castTo(DataType.FLOAT).dup('c');
        float[] data = c.length() == 0 ? new float[0] : c.reshape(c.length()).toFloatVector();
        ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        String name = fresh(base);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : c.shape()) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a 1-d int64 initializer (pads, axes, slice bounds); returns its name. */
    String longs(String base, long... values) {
        String name = fresh(base);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Starts a node; {@link Node#build()} adds it. The node's name is its (first) output's name. */
    Node node(String opType, String output, String... inputs) {
        return new Node(opType, output, List.of(inputs));
    }

    void input(String name, long[] shapeWithoutBatch) {
        graph.addInput(valueInfo(name, shapeWithoutBatch));
    }

    void output(String name, long[] shapeWithoutBatch) {
        graph.addOutput(valueInfo(name, shapeWithoutBatch));
    }

    Onnx.GraphProto build() {
        return graph.build();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long[] shapeWithoutBatch) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : shapeWithoutBatch) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    /** One node being written. */
    final class Node {
        private final Onnx.NodeProto.Builder proto;

        private Node(String opType, String output, List<String> inputs) {
            proto = Onnx.NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output)
                    .addAllInput(inputs);
        }

        Node ints(String attribute, long... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(attribute)
                    .setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            proto.addAttribute(a);
            return this;
        }

        Node ints(String attribute, int... values) {
            return ints(attribute, java.util.Arrays.stream(values).asLongStream().toArray());
        }

        Node integer(String attribute, long value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(attribute)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value));
            return this;
        }

        Node real(String attribute, double value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(attribute)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF((float) value));
            return this;
        }

        /** Adds the node; returns its output's name. */
        String build() {
            graph.addNode(proto);
            return proto.getOutput(0);
        }
    }
}
