package org.tl4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.Pooling;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.train.FeatureCacheKey;
import org.tl4j.train.FeatureTestData;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** CNN codes of real image files computed on ONNX Runtime equal DL4J's (relative error under 1e-4). */
class InferenceCodeEngineTest {

    @TempDir
    Path dir;

    @Test
    void cnnCodesOnOnnxRuntimeMatchDl4j() throws Exception {
        AdapterSpec spec = AdapterRegistry.standard().get("resnet50-small");
        ComputationGraph graph = Architectures.build(spec, 7);
        InferFixtures.randomiseStatistics(graph, 8);
        Path images = FeatureTestData.stripes(dir.resolve("images"), 3, 3);
        Manifest manifest = ImageFolder.scan(images);
        String layer = spec.tap("res3d").orElseThrow().layer();
        org.nd4j.linalg.api.ndarray.INDArray first;
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(manifest, manifest.okEntries(), spec.input(), 4)) {
            first = it.next().getFeatures();
        }
        EngineSelection auto = Engines.open(EngineChoice.AUTO,
                InferenceModel.ofGraph(spec.id(), graph, InferFixtures.chw(spec), layer, false), first,
                new OnnxFiles(dir.resolve("onnx")), 2);
        try (InferenceEngine engine = auto.engine()) {
            assertEquals("onnxruntime", engine.name(), auto.reason());
            String hash = FeatureCacheKey.weightsHash(graph);
            Codes ort = CnnCodes.of(spec, graph).tap("res3d").pooling(Pooling.AVG_MAX).batchSize(4).progress(false)
                    .cacheFolder(dir.resolve("cache-ort")).engine(new InferenceCodeEngine(engine, layer, hash))
                    .extract(images);
            Codes dl4j = CnnCodes.of(spec, graph).tap("res3d").pooling(Pooling.AVG_MAX).batchSize(4).progress(false)
                    .cacheFolder(dir.resolve("cache-dl4j")).extract(images);
            assertEquals(dl4j.rows(), ort.rows());
            assertEquals(dl4j.dim(), ort.dim());
            assertTrue(Engines.relativeError(ort.matrix(), dl4j.matrix()) < 1e-4);
        }
    }
}
