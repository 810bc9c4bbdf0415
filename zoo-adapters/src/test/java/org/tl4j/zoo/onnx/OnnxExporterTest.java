package org.tl4j.zoo.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.graph.ChannelSubsetVertex;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.Tap;

/**
 * DL4J -> ONNX -> DL4J: the exported file, imported again by tl4j's importer, computes what the original graph
 * computes (relative error under 1e-5), whole and cut at a tap; ONNX's checker accepts every file.
 */
class OnnxExporterTest {

    static final double MAX_REL = 1e-5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50-small", "googlenet-small", "alexnet-small"})
    void smallArchitecturesRoundTripWholeAndAtEveryTap(String id) throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        ComputationGraph graph = Architectures.build(spec, 7);
        randomiseStatistics(graph, 11);
        INDArray x = input(spec, 3, 5);
        List<Path> files = new ArrayList<>();

        Path whole = dir.resolve(id + ".onnx");
        Onnx.ModelProto model = OnnxExporter.write(graph, ExportOptions.forAdapter(spec), whole);
        files.add(whole);
        assertEquals(OnnxExporter.OPSET, model.getOpsetImport(0).getVersion());
        assertEquals(spec.id(), OnnxMetadata.read(model).get(OnnxMetadata.ADAPTER));
        assertEquals(Integer.toString(spec.input().height()), OnnxMetadata.read(model).get(OnnxMetadata.HEIGHT));
        ImportedModel back = OnnxImporter.importGraph(whole);
        assertClose(graph.outputSingle(false, x), back.output(x)[0], id + " whole");

        for (Tap tap : spec.taps()) {
            boolean pooled = tap.shape().length == 3;
            Path file = dir.resolve(id + "-" + tap.name() + ".onnx");
            OnnxExporter.write(graph, ExportOptions.forAdapter(spec).withCut(tap.layer(), pooled)
                    .withMetadata(OnnxMetadata.ofTap(tap.name(), tap.layer(), pooled)), file);
            files.add(file);
            INDArray expected = graph.output(List.of(tap.layer()), false, new INDArray[] {x}, null)[0].dup();
            if (pooled) {
                expected = expected.mean(2, 3);
            }
            INDArray actual = OnnxImporter.importGraph(file).output(x)[0];
            assertClose(expected, actual, id + " tap " + tap.name());
            assertEquals(pooled ? 2 : expected.rank(), actual.rank());
        }
        OnnxChecker.assumeAvailable();
        OnnxChecker.check(files);
    }

    /** Grouped convolution (channel subsets merged), LRN, Same-mode pooling, padding, dropout, tanh. */
    @Test
    void caffeStyleLayersRoundTrip() throws Exception {
        ComputationGraph graph = caffeStyleGraph();
        randomiseStatistics(graph, 3);
        Path file = dir.resolve("caffe-style.onnx");
        OnnxExporter.write(graph, ExportOptions.whole("caffe-style", 4, 12, 12), file);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 4, 12, 12);
        assertClose(graph.outputSingle(false, x), OnnxImporter.importGraph(file).output(x)[0], "caffe-style");
        OnnxChecker.assumeAvailable();
        OnnxChecker.check(List.of(file));
    }

    @Test
    void unsupportedLayerIsNamedWithItsType() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("recurrent", new LSTM.Builder().nIn(3).nOut(4).build(), "in")
                .setOutputs("recurrent").build());
        graph.init();
        OnnxExportException e = assertThrows(OnnxExportException.class,
                () -> OnnxExporter.export(graph, ExportOptions.whole("rnn", 3)));
        assertTrue(e.getMessage().contains("'recurrent'") && e.getMessage().contains("LSTM"), e.getMessage());
    }

    @Test
    void missingInputShapeAndUnknownCutAreExplained() {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = Architectures.build(spec, 1);
        OnnxExportException noShape = assertThrows(OnnxExportException.class,
                () -> OnnxExporter.export(graph, ExportOptions.whole("a")));
        assertTrue(noShape.getMessage().contains("withInputShape"), noShape.getMessage());
        OnnxExportException noLayer = assertThrows(OnnxExportException.class,
                () -> OnnxExporter.export(graph, ExportOptions.forAdapter(spec).withCut("nope", false)));
        assertTrue(noLayer.getMessage().contains("'nope'"), noLayer.getMessage());
    }

    @Test
    void cutKeepsOnlyWhatTheTapNeeds() {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = Architectures.build(spec, 1);
        Onnx.ModelProto cut = OnnxExporter.export(graph, ExportOptions.forAdapter(spec).withCut("pool5", true));
        assertEquals(1, cut.getGraph().getOutputCount());
        assertEquals("pool5_pooled", cut.getGraph().getOutput(0).getName());
        assertTrue(cut.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Gemm")),
                "the classifier layers after pool5 are not written");
        List<Onnx.TensorShapeProto.Dimension> dims = cut.getGraph().getOutput(0).getType().getTensorType()
                .getShape().getDimList();
        assertEquals("N", dims.get(0).getDimParam());
        assertEquals(spec.tap("pool5").orElseThrow().shape()[0], dims.get(1).getDimValue());
    }

    static ComputationGraph caffeStyleGraph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5)
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder()
                .addInputs("in")
                .addLayer("pad", new ZeroPaddingLayer.Builder(1, 0, 0, 1).build(), "in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nIn(4).nOut(6).activation(Activation.RELU)
                        .build(), "pad")
                .addLayer("norm1", new LocalResponseNormalization.Builder().k(2).n(5).alpha(1e-3).beta(0.75).build(),
                        "conv1")
                .addVertex("split1", new ChannelSubsetVertex(0, 2), "norm1")
                .addVertex("split2", new ChannelSubsetVertex(3, 5), "norm1")
                .addLayer("group1", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(3).nOut(4)
                        .activation(Activation.TANH).build(), "split1")
                .addLayer("group2", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(3).nOut(4).hasBias(false)
                        .build(), "split2")
                .addVertex("merge", new MergeVertex(), "group1", "group2")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "merge")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "bn")
                .addLayer("avg", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(1, 1)
                        .padding(1, 1).build(), "pool")
                .addLayer("drop", new DropoutLayer.Builder(0.5).build(), "avg")
                .addLayer("fc", new DenseLayer.Builder().nOut(7).activation(Activation.RELU).dropOut(0.5).build(), "drop")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(12, 12, 4))
                .build());
        graph.init();
        return graph;
    }

    /** Running statistics, scales and shifts away from their initial 0/1, so batch normalisation does work. */
    static void randomiseStatistics(ComputationGraph graph, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            Map<String, INDArray> p = layer.paramTable();
            if (!p.containsKey("mean")) {
                continue;
            }
            p.get("mean").assign(Nd4j.rand(p.get("mean").dataType(), p.get("mean").shape()).subi(0.5).muli(0.2));
            INDArray var = Nd4j.rand(p.get("mean").dataType(), p.get("mean").shape()).addi(0.5);
            if (p.containsKey("var")) {
                p.get("var").assign(var);
            } else {
                p.get("log10stdev").assign(org.nd4j.linalg.ops.transforms.Transforms.log(
                        org.nd4j.linalg.ops.transforms.Transforms.sqrt(var), 10.0));
            }
            if (p.containsKey("gamma")) {
                p.get("gamma").assign(Nd4j.rand(p.get("gamma").dataType(), p.get("gamma").shape()).addi(0.5));
                p.get("beta").assign(Nd4j.rand(p.get("beta").dataType(), p.get("beta").shape()).subi(0.5).muli(0.2));
            }
        }
    }

    static INDArray input(AdapterSpec spec, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, batch, spec.input().channels(), spec.input().height(), spec.input().width());
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        Parity parity = Parity.of(actual, expected);
        assertTrue(parity.relative() < MAX_REL, what + ": " + parity);
    }
}
