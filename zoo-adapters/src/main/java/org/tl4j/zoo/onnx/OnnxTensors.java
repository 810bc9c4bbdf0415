package org.tl4j.zoo.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Converts ONNX {@code TensorProto}s (initializers, Constant values, test-data files) into ND4J arrays.
 *
 * <p>Floating-point tensors become FLOAT arrays (double tensors are narrowed, since DL4J graphs here run in
 * float); integer tensors become LONG arrays (shapes, axes). Data may be in {@code raw_data} (little-endian, as
 * the ONNX spec fixes) or in the typed repeated fields.
 */
public final class OnnxTensors {

    private OnnxTensors() {
    }

    /** Reads a serialised {@code TensorProto} file, such as a node test's {@code input_0.pb}. */
    public static INDArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return toArray(Onnx.TensorProto.parseFrom(in), file.toString());
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new OnnxImportException(file + " is not a serialised ONNX TensorProto: " + e.getMessage(), e);
        }
    }

    /**
     * Converts one tensor.
     *
     * @param tensor the tensor
     * @param where  names the tensor's origin (file, node) for error messages
     */
    public static INDArray toArray(Onnx.TensorProto tensor, String where) {
        if (tensor.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new UnsupportedOnnxException("tensor '" + tensor.getName() + "' in " + where
                    + " keeps its data in an external file; save the model with the weights inside it"
                    + " (onnx.save_model(..., save_as_external_data=False))");
        }
        long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = Math.toIntExact(product(shape));
        if (count == 0) {
            return Nd4j.create(type(tensor) == Onnx.TensorProto.DataType.INT64
                    ? org.nd4j.linalg.api.buffer.DataType.LONG : org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !tensor.getRawData().isEmpty();
        Onnx.TensorProto.DataType type = Onnx.TensorProto.DataType.forNumber(tensor.getDataType());
        if (type == null) {
            throw new UnsupportedOnnxException("tensor '" + tensor.getName() + "' in " + where
                    + " has unknown data type " + tensor.getDataType());
        }
        switch (type) {
            case FLOAT -> {
                float[] data = new float[count];
                if (hasRaw) {
                    raw.asFloatBuffer().get(data);
                } else {
                    copyFloats(tensor.getFloatDataList(), data, tensor, where);
                }
                return create(data, shape);
            }
            case DOUBLE -> {
                float[] data = new float[count];
                if (hasRaw) {
                    for (int i = 0; i < count; i++) {
                        data[i] = (float) raw.getDouble(i * Double.BYTES);
                    }
                } else {
                    checkCount(tensor.getDoubleDataCount(), count, tensor, where);
                    for (int i = 0; i < count; i++) {
                        data[i] = (float) tensor.getDoubleData(i);
                    }
                }
                return create(data, shape);
            }
            case INT64 -> {
                long[] data = new long[count];
                if (hasRaw) {
                    raw.asLongBuffer().get(data);
                } else {
                    checkCount(tensor.getInt64DataCount(), count, tensor, where);
                    for (int i = 0; i < count; i++) {
                        data[i] = tensor.getInt64Data(i);
                    }
                }
                return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.createFromArray(data).reshape(shape);
            }
            case INT32 -> {
                long[] data = new long[count];
                if (hasRaw) {
                    for (int i = 0; i < count; i++) {
                        data[i] = raw.getInt(i * Integer.BYTES);
                    }
                } else {
                    checkCount(tensor.getInt32DataCount(), count, tensor, where);
                    for (int i = 0; i < count; i++) {
                        data[i] = tensor.getInt32Data(i);
                    }
                }
                return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.createFromArray(data).reshape(shape);
            }
            case BOOL -> {
                // Dropout's training_mode: kept as LONG 0/1 so callers read it like any integer flag.
                long[] data = new long[count];
                for (int i = 0; i < count; i++) {
                    data[i] = hasRaw ? raw.get(i) : tensor.getInt32Data(i);
                }
                return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.createFromArray(data).reshape(shape);
            }
            default -> throw new UnsupportedOnnxException("tensor '" + tensor.getName() + "' in " + where
                    + " has data type " + type + "; the importer reads FLOAT, DOUBLE, INT64, INT32 and BOOL");
        }
    }

    private static Onnx.TensorProto.DataType type(Onnx.TensorProto tensor) {
        return Onnx.TensorProto.DataType.forNumber(tensor.getDataType());
    }

    private static INDArray create(float[] data, long[] shape) {
        if (shape.length == 0) {
            return Nd4j.scalar(data[0]);
        }
        return Nd4j.create(data, shape, 'c');
    }

    private static void copyFloats(List<Float> values, float[] into, Onnx.TensorProto tensor, String where) {
        checkCount(values.size(), into.length, tensor, where);
        for (int i = 0; i < into.length; i++) {
            into[i] = values.get(i);
        }
    }

    private static void checkCount(int actual, int expected, Onnx.TensorProto tensor, String where) {
        if (actual != expected) {
            throw new OnnxImportException("tensor '" + tensor.getName() + "' in " + where + " holds " + actual
                    + " values but its shape " + tensor.getDimsList() + " needs " + expected
                    + "; the file is damaged, export it again");
        }
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }
}
