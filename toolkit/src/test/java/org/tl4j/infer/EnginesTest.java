package org.tl4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.train.FeatureTrunk;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.onnx.ExportOptions;
import org.tl4j.zoo.onnx.ImportedModel;
import org.tl4j.zoo.onnx.OnnxExporter;
import org.tl4j.zoo.onnx.OnnxImporter;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.Tap;

/**
 * ONNX Runtime on tl4j's exports computes what DL4J computes (relative error under 1e-4) for the three small
 * architectures, at every tap and whole, and for a graph with a new head; auto picks ONNX Runtime when it agrees
 * and ND4J (saying why) when it does not; exports are cached by weights hash.
 */
class EnginesTest {

    static final double MAX_REL = 1e-4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50-small", "googlenet-small", "alexnet-small"})
    void onnxRuntimeMatchesNd4jWholeAndAtEveryTap(String id) throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        ComputationGraph graph = Architectures.build(spec, 3);
        InferFixtures.randomiseStatistics(graph, 4);
        INDArray x = InferFixtures.input(spec, 4, 5);
        OnnxFiles files = new OnnxFiles(dir);
        List<InferenceModel> models = new ArrayList<>();
        models.add(InferenceModel.ofGraph(id, graph, InferFixtures.chw(spec), null, false));
        for (Tap tap : spec.taps()) {
            models.add(InferenceModel.ofGraph(id, graph, InferFixtures.chw(spec), tap.layer(), tap.shape().length == 3));
        }
        for (InferenceModel model : models) {
            try (InferenceEngine ort = Engines.open(EngineChoice.ONNXRUNTIME, model, x, files, 2).engine();
                 InferenceEngine nd4j = new Nd4jEngine(model)) {
                assertEquals(OnnxRuntimeEngine.NAME, ort.name());
                INDArray expected = nd4j.run(x);
                INDArray actual = ort.run(x);
                double error = Engines.relativeError(actual, expected);
                assertTrue(error < MAX_REL, id + " at " + model.cut() + ": relative error " + error);
            }
        }
    }

    @Test
    void newHeadModelMatchesAndPassesTheChecker() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph base = Architectures.build(spec, 8);
        InferFixtures.randomiseStatistics(base, 9);
        HeadSurgery.Result surgery = HeadSurgery.apply(base, spec,
                HeadSpecification.linear(5).atTap("res4f").withSeed(2));
        INDArray x = InferFixtures.input(spec, 3, 6);
        InferenceModel model = InferenceModel.ofGraph("new-head", surgery.graph(), InferFixtures.chw(spec), null, false);
        EngineSelection auto = Engines.open(EngineChoice.AUTO, model, x, new OnnxFiles(dir), 2);
        try (InferenceEngine engine = auto.engine()) {
            assertEquals(OnnxRuntimeEngine.NAME, engine.name(), auto.reason());
            assertTrue(auto.parityError() < MAX_REL, auto.toString());
            INDArray probabilities = engine.run(x);
            assertEquals(5, probabilities.size(1));
            assertTrue(Engines.relativeError(probabilities, surgery.graph().outputSingle(false, x)) < MAX_REL);
            InferFixtures.check(List.of(((OnnxRuntimeEngine) engine).file()));
        }
    }

    @Test
    void exportIsCachedByWeightsAndAutoRefusesAFileThatDisagrees() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = Architectures.build(spec, 1);
        OnnxFiles files = new OnnxFiles(dir);
        InferenceModel model = InferenceModel.ofGraph("alex", graph, InferFixtures.chw(spec), "fc7", false);
        Path first = files.fileFor(model);
        Files.setLastModifiedTime(first, FileTime.fromMillis(1000));
        assertEquals(first, files.fileFor(model));
        assertEquals(1000, Files.getLastModifiedTime(first).toMillis(), "an unchanged graph is not exported again");

        // Same shapes, other weights: the cached file of the first graph now stands for the second one's key.
        ComputationGraph retrained = Architectures.build(spec, 2);
        InferenceModel other = InferenceModel.ofGraph("alex", retrained, InferFixtures.chw(spec), "fc7", false);
        Path second = files.fileFor(other);
        assertNotEquals(first, second, "new weights, new file");
        Files.copy(first, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        EngineSelection auto = Engines.open(EngineChoice.AUTO, other, InferFixtures.input(spec, 2, 1), files, 1);
        try (InferenceEngine engine = auto.engine()) {
            assertInstanceOf(Nd4jEngine.class, engine);
            assertTrue(auto.parityError() > MAX_REL && auto.reason().contains("disagrees"), auto.toString());
            assertEquals("nd4j", auto.record().get("engine"));
        }
    }

    @Test
    void importedModelRunsItsSourceFileWithTheTapAsOutput() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("googlenet-small");
        ComputationGraph graph = Architectures.build(spec, 5);
        InferFixtures.randomiseStatistics(graph, 6);
        Path source = dir.resolve("googlenet-small.onnx");
        OnnxExporter.write(graph, ExportOptions.forAdapter(spec), source);
        ImportedModel imported = OnnxImporter.importGraph(source);
        Tap tap = spec.tap("inception_4e").orElseThrow();
        String vertex = imported.nodeToVertex().get(tap.layer());
        InferenceModel model = ImportedTaps.model(imported, source, vertex, true);
        assertEquals(tap.layer(), model.onnxOutput());
        INDArray x = InferFixtures.input(spec, 2, 7);
        EngineSelection auto = Engines.open(EngineChoice.AUTO, model, x, new OnnxFiles(dir.resolve("cache")), 2);
        try (InferenceEngine engine = auto.engine()) {
            assertEquals(OnnxRuntimeEngine.NAME, engine.name(), auto.reason());
            assertTrue(((OnnxRuntimeEngine) engine).file().getFileName().toString().contains("-tap-"));
            INDArray codes = engine.run(x);
            assertEquals(2, codes.rank());
            assertEquals(tap.shape()[0], codes.size(1));
            INDArray reference = graph.output(List.of(tap.layer()), false, new INDArray[] {x}, null)[0].mean(2, 3);
            assertTrue(Engines.relativeError(codes, reference) < MAX_REL);
        }
    }

    @Test
    void featureTrunkTakesAnEngine() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = Architectures.build(spec, 1);
        FeatureTrunk trunk = new FeatureTrunk(graph, "pool5", true, FeatureTrunk.Mode.LAYER_OUTPUT);
        INDArray x = InferFixtures.input(spec, 2, 3);
        InferenceModel model = InferenceModel.ofGraph("alex", graph, InferFixtures.chw(spec), "pool5", false);
        try (InferenceEngine ort = Engines.open(EngineChoice.ONNXRUNTIME, model, x, new OnnxFiles(dir), 1).engine()) {
            FeatureTrunk fast = trunk.withEngine(ort);
            assertEquals("onnxruntime", fast.engineName());
            INDArray codes = fast.activations(x);
            assertEquals(2, codes.rank(), "the trunk pools the engine's 4-d output");
            assertTrue(Engines.relativeError(codes, trunk.activations(x)) < MAX_REL);
            assertEquals(2, fast.imagesProcessed());
        }
    }
}
