package org.tl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.LayerHelpers;
import org.tl4j.zoo.safety.SafeModelLoader;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.weights.Downloader;

/**
 * DL4J's oneDNN layer helpers, as tl4j engages them: on a oneDNN build every convolution, BatchNorm and pooling layer
 * gets one, and a network with helpers computes what the same network without them computes: the same outputs, and
 * gradients no further from a float64 reference than DL4J's own layers' (both float32 paths round differently, so
 * the reference decides, not the other path).
 */
class LayerHelpersTest {

    @TempDir
    Path temp;

    /** The graph {@code load} makes, with DL4J's helpers switched on or off while its layers are constructed. */
    private static ComputationGraph withHelpers(boolean on, Supplier<ComputationGraph> load) {
        return LayerHelpers.building(on, load);
    }

    private static boolean oneDnnLoaded() {
        return NativeBuild.hasOneDnn();
    }

    @Test
    void tl4jSwitchesTheHelpersOnUnlessTheUserChose() {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        try {
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, "true");
            LayerHelpers.enableUnlessUserChose();
            assertEquals("true", System.getProperty(LayerHelpers.DISABLE_PROPERTY), "the user's choice stays");
            System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
            LayerHelpers.enableUnlessUserChose();
            assertTrue(LayerHelpers.allowed());
        } finally {
            if (before == null) {
                System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
            } else {
                System.setProperty(LayerHelpers.DISABLE_PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50-small", "googlenet-small", "alexnet-small"})
    void everyConvolutionBatchNormAndPoolingLayerGetsAHelperOnOneDnnBuildsAndNoneOtherwise(String id) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        ComputationGraph graph = withHelpers(true, () -> Architectures.build(spec, 1));
        int eligible = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer.getClass() == ConvolutionLayer.class || layer instanceof BatchNormalization
                    || layer.getClass() == SubsamplingLayer.class) {
                eligible++;
            }
        }
        assertTrue(eligible > 5, id + ": " + eligible);
        assertEquals(oneDnnLoaded() ? eligible : 0, LayerHelpers.engagedLayers(graph), id);
        assertEquals(0, LayerHelpers.engagedLayers(withHelpers(false, () -> Architectures.build(spec, 1))), id);
    }

    /**
     * The shipped glyph sources (trained weights, so the float32 paths are well conditioned): inference outputs agree
     * and every gradient is as close to float64's as DL4J's own layers get. AlexNet's gradients are left out: its
     * dropout draws differ between runs; its convolutions and pooling use the same helpers as the others'.
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet-small.glyphs", "googlenet-small.glyphs", "alexnet-small.glyphs"})
    void aNetworkWithHelpersComputesWhatItComputesWithoutThem(String id) throws IOException {
        Path zip = shippedWeights(id);
        ComputationGraph plain = withHelpers(false, () -> load(zip));
        ComputationGraph helped = withHelpers(true, () -> load(zip));
        assertEquals(oneDnnLoaded(), LayerHelpers.engagedLayers(helped) > 0, id);

        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        long[] shape = Architectures.inputType(spec).getShape(true);
        Nd4j.getRandom().setSeed(7);
        int batch = 16;
        INDArray x64 = Nd4j.rand(DataType.DOUBLE, batch, shape[1], shape[2], shape[3]);
        INDArray x = x64.castTo(DataType.FLOAT);
        INDArray expected = plain.output(false, x)[0];
        INDArray actual = helped.output(false, x)[0];
        double outputError = actual.sub(expected).amax().getDouble(0);
        assertTrue(outputError < 1e-4, id + ": softmax outputs differ by " + outputError);
        if (id.startsWith("alexnet")) {
            return;
        }

        int classes = (int) expected.size(1);
        INDArray y64 = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int i = 0; i < batch; i++) {
            y64.putScalar(i, (i * 7L) % classes, 1.0);
        }
        ComputationGraph reference = plain.convertDataType(DataType.DOUBLE);
        Map<String, INDArray> exact = gradients(reference, x64, y64);
        Map<String, INDArray> dl4j = gradients(plain, x, y64.castTo(DataType.FLOAT));
        Map<String, INDArray> oneDnn = gradients(helped, x, y64.castTo(DataType.FLOAT));
        for (String variable : exact.keySet()) {
            double norm = exact.get(variable).norm2Number().doubleValue() + 1e-12;
            double dl4jError = dl4j.get(variable).castTo(DataType.DOUBLE).sub(exact.get(variable)).norm2Number()
                    .doubleValue() / norm;
            double helperError = oneDnn.get(variable).castTo(DataType.DOUBLE).sub(exact.get(variable)).norm2Number()
                    .doubleValue() / norm;
            assertTrue(helperError <= 2 * dl4jError + 1e-4, () -> id + " " + variable + ": relative error against float64 "
                    + helperError + " with helpers, " + dl4jError + " without");
        }
    }

    private static Map<String, INDArray> gradients(ComputationGraph graph, INDArray x, INDArray y) {
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        return graph.gradient().gradientForVariable();
    }

    private static ComputationGraph load(Path zip) {
        try {
            return SafeModelLoader.standard().restoreComputationGraph(zip, false);
        } catch (IOException e) {
            throw new IllegalStateException(zip.toString(), e);
        }
    }

    private Path shippedWeights(String id) throws IOException {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        String resource = Downloader.classpathResource(spec.weights().get(0).uri());
        Path copy = temp.resolve(id + ".zip");
        try (InputStream in = LayerHelpersTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, copy);
        }
        return copy;
    }
}
