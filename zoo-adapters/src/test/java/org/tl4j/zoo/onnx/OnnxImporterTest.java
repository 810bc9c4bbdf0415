package org.tl4j.zoo.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.protobuf.ByteString;

class OnnxImporterTest {

    @TempDir
    Path tmp;

    @Test
    void unsupportedOperatorIsAnErrorNamingOperatorNodeAndFile() throws IOException {
        Path file = write(model(9, node("Elu", "my_elu", List.of("x"), "y")));

        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.importGraph(file));

        assertTrue(e.getMessage().contains("'Elu'"), e.getMessage());
        assertTrue(e.getMessage().contains("my_elu"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void unsupportedAttributeValueIsAnErrorNamingTheValue() throws IOException {
        Onnx.NodeProto lrn = node("LRN", "norm1", List.of("x"), "y").toBuilder()
                .addAttribute(intAttribute("size", 4)).build();
        Path file = write(model(9, lrn));

        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.importGraph(file));

        assertTrue(e.getMessage().contains("norm1") && e.getMessage().contains("size 4"), e.getMessage());
    }

    @Test
    void unknownAttributeIsAnErrorNotIgnored() throws IOException {
        Onnx.NodeProto relu = node("Relu", "r", List.of("x"), "y").toBuilder()
                .addAttribute(intAttribute("mystery", 1)).build();
        Path file = write(model(13, relu));

        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.importGraph(file));

        assertTrue(e.getMessage().contains("'mystery'"), e.getMessage());
    }

    @Test
    void opsetOutsideTheSupportedRangeIsRefusedWithTheFix() throws IOException {
        Path file = write(model(18, node("Relu", "r", List.of("x"), "y")));

        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> OnnxImporter.importGraph(file));

        assertTrue(e.getMessage().contains("opset 18") && e.getMessage().contains("opset_version"), e.getMessage());
    }

    @Test
    void fileThatIsNotOnnxIsAnErrorNamingTheFile() throws IOException {
        Path file = tmp.resolve("photo.onnx");
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x12, 0x34});

        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importGraph(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void convolutionWeightsKeepTheirLayoutAndNodesMapToVertices() throws IOException {
        float[] w = new float[2 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.01f - 0.2f;
        }
        Onnx.NodeProto conv = node("Conv", "/features/conv0/Conv", List.of("x", "w", "b"), "c").toBuilder()
                .addAttribute(intsAttribute("pads", 1, 1, 1, 1)).build();
        Onnx.ModelProto m = model(13, conv, node("Relu", "", List.of("c"), "y")).toBuilder()
                .setGraph(model(13, conv, node("Relu", "", List.of("c"), "y")).getGraph().toBuilder()
                        .addInitializer(floatTensor("w", new long[] {2, 3, 3, 3}, w))
                        .addInitializer(floatTensor("b", new long[] {2}, new float[] {0.5f, -0.5f})))
                .build();

        ImportedModel imported = OnnxImporter.importGraph(write(m));

        Map<String, String> names = imported.nodeToVertex();
        assertEquals("features_conv0_Conv", names.get("/features/conv0/Conv"));
        assertEquals("y", names.get("y"), "a node without a name is named after its output");
        ComputationGraph g = imported.graph();
        assertTrue(g.getLayer("features_conv0_Conv").conf().getLayer() instanceof ConvolutionLayer);
        INDArray dl4jW = g.getLayer("features_conv0_Conv").getParam("W");
        assertArrayEquals(new long[] {2, 3, 3, 3}, dl4jW.shape());
        assertEquals(w[1 * 27 + 2 * 9 + 1 * 3 + 2], dl4jW.getFloat(1, 2, 1, 2), 0f, "[out,in,kh,kw] element");
        assertEquals(-0.5f, g.getLayer("features_conv0_Conv").getParam("b").getFloat(1), 0f);
    }

    @Test
    void sumAddsAnyNumberOfActivations() throws IOException {
        Onnx.GraphProto g = model(8, node("Sum", "/layer1/Sum", List.of("x", "x2", "x3"), "y")).getGraph().toBuilder()
                .addInput(valueInfo("x2", 1, 3, 4, 4)).addInput(valueInfo("x3", 1, 3, 4, 4)).build();
        ImportedModel imported = OnnxImporter.importGraph(write(model(8).toBuilder().setGraph(g).build()));
        INDArray a = Nd4j.rand(new long[] {2, 3, 4, 4});
        INDArray b = Nd4j.rand(new long[] {2, 3, 4, 4});
        INDArray c = Nd4j.rand(new long[] {2, 3, 4, 4});

        INDArray y = imported.output(a, b, c)[0];

        assertEquals(a.add(b).add(c), y);
        assertEquals(3, imported.inputs().size());
    }

    @Test
    void matMulThenConstantAddBecomesOneDenseLayerWithBias() throws IOException {
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("keras_dense")
                .addInput(valueInfo("x", -1, 4)).addOutput(valueInfo("y"))
                .addNode(node("MatMul", "dense/MatMul", List.of("x", "W"), "h"))
                .addNode(node("Add", "dense/BiasAdd", List.of("h", "b"), "y"))
                .addInitializer(floatTensor("W", new long[] {4, 3}, w))
                .addInitializer(floatTensor("b", new long[] {3}, new float[] {0.5f, -1f, 2f}))
                .build();
        ImportedModel imported = OnnxImporter.importGraph(write(model(13).toBuilder().setGraph(g).build()));
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 0, -1, 2}, {0.5f, 1, 1, 0}});

        INDArray y = imported.output(x)[0];

        INDArray expected = x.mmul(Nd4j.createFromArray(w).reshape(4, 3))
                .addRowVector(Nd4j.createFromArray(0.5f, -1f, 2f));
        assertEquals(expected, y);
        assertEquals("dense_MatMul", imported.nodeToVertex().get("dense/BiasAdd"));
        assertEquals(1, imported.graph().getLayers().length, "the Add is the dense layer's bias, not a vertex");
    }

    @Test
    void importedGraphFineTunesAndSurvivesSaveAndLoad() throws Exception {
        // The Inception net: small enough to train for a few steps in a unit test, with batch norm and concat.
        Path dir = TorchFixtures.small().resolve("googlenet_small");
        ImportedModel imported = OnnxImporter.importGraph(dir.resolve("model.onnx"));
        INDArray x = OnnxTensors.read(dir.resolve("test_data_set_0/input_0.pb"));
        String logits = imported.outputs().get(0).vertexName();
        assertEquals("9_Gemm", logits, "nn.Sequential's layer 9, exported as /9/Gemm");
        String firstConv = imported.nodeToVertex().get("/0/conv/Conv");
        assertEquals("0_conv_Conv", firstConv);

        ComputationGraph tuned = new TransferLearning.GraphBuilder(imported.graph())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(1e-3)).seed(7).build())
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).build(), logits)
                .setOutputs("loss")
                .build();
        INDArray labels = Nd4j.zeros(x.size(0), 10);
        for (int i = 0; i < x.size(0); i++) {
            labels.putScalar(i, i % 10, 1);
        }
        DataSet batch = new DataSet(x, labels);
        INDArray convBefore = tuned.getLayer(firstConv).getParam("W").dup();
        double before = tuned.score(batch);
        for (int i = 0; i < 10; i++) {
            tuned.fit(batch);
        }
        double after = tuned.score(batch);

        assertTrue(after < before, "loss went from " + before + " to " + after);
        assertNotEquals(convBefore, tuned.getLayer(firstConv).getParam("W"), "imported layers are trainable");

        File saved = tmp.resolve("tuned.zip").toFile();
        ModelSerializer.writeModel(tuned, saved, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(saved, true);
        assertEquals(tuned.output(false, x)[0], restored.output(false, x)[0]);
    }

    @Test
    void groupedConvolutionSurvivesSaveAndLoad() throws Exception {
        Path dir = TorchFixtures.small().resolve("alexnet_small");
        ImportedModel imported = OnnxImporter.importGraph(dir.resolve("model.onnx"));
        INDArray x = OnnxTensors.read(dir.resolve("test_data_set_0/input_0.pb"));
        File saved = tmp.resolve("alexnet_small.zip").toFile();

        ModelSerializer.writeModel(imported.graph(), saved, false);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(saved, false);

        assertEquals(imported.output(x)[0], restored.output(false, x)[0]);
    }

    // --- tiny ONNX models built with ONNX's generated classes ---

    private Path write(Onnx.ModelProto m) throws IOException {
        Path file = tmp.resolve("model.onnx");
        Files.write(file, m.toByteArray());
        return file;
    }

    static Onnx.ModelProto model(int opset, Onnx.NodeProto... nodes) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("test")
                .addInput(valueInfo("x", 1, 3, 4, 4))
                .addOutput(valueInfo("y"));
        for (Onnx.NodeProto n : nodes) {
            g.addNode(n);
        }
        return Onnx.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g).build();
    }

    static Onnx.NodeProto node(String op, String name, List<String> inputs, String output) {
        return Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    static Onnx.TensorProto floatTensor(String name, long[] dims, float[] values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static Onnx.AttributeProto intAttribute(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    static Onnx.AttributeProto intsAttribute(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}
