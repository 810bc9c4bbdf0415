package org.tl4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.train.FeatureCache;
import org.tl4j.train.FeatureCacheKey;
import org.tl4j.train.FeatureTestData;
import org.tl4j.train.FeatureTrunk;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** CNN codes of a seeded (untrained) resnet50-small on tiny striped images: shapes, pooling, normalisation, cache. */
class CnnCodesTest {

    private static final int PER_CLASS = 5;
    @TempDir
    static Path dir;
    static AdapterSpec spec;
    static ComputationGraph graph;
    static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        spec = AdapterRegistry.standard().get("resnet50-small");
        graph = Architectures.build(spec, 7);
        images = FeatureTestData.stripes(dir.resolve("images"), PER_CLASS, 3);
    }

    private CnnCodes codes(Path cache) {
        return CnnCodes.of(spec, graph).cacheFolder(cache).batchSize(4).progress(false);
    }

    /** Each image's raw activation at the layer, straight from a DL4J forward pass (no tl4j pooling). */
    private static INDArray rawActivations(String layer) throws IOException {
        Manifest manifest = ImageFolder.scan(images);
        // Same batches as the extraction (4 images): convolution results depend slightly on the batch size.
        FeatureTrunk trunk = new FeatureTrunk(graph, layer, false, FeatureTrunk.Mode.LAYER_OUTPUT);
        List<INDArray> parts = new java.util.ArrayList<>();
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(manifest, manifest.okEntries(), spec.input(), 4)) {
            it.forEachRemaining(ds -> parts.add(trunk.activations(ds.getFeatures())));
        }
        return org.nd4j.linalg.factory.Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    @Test
    void convTapIsPooledByAverageMaximumOrBoth() throws IOException {
        Path cache = dir.resolve("cache-pool");
        Codes avg = codes(cache).tap("res3d").pooling(Pooling.AVG).extract(images);
        Codes max = codes(cache).tap("res3d").pooling(Pooling.MAX).extract(images);
        Codes both = codes(cache).tap("res3d").pooling(Pooling.AVG_MAX).extract(images);
        int channels = spec.tap("res3d").orElseThrow().shape()[0];
        assertEquals(2 * PER_CLASS, avg.rows());
        assertEquals(channels, avg.dim());
        assertEquals(channels, max.dim());
        assertEquals(2 * channels, both.dim());
        assertEquals(List.of("horizontal", "vertical"), avg.info().classes());
        assertEquals(0, avg.label(0));
        assertEquals(1, avg.label(2 * PER_CLASS - 1));
        assertTrue(avg.path(0).startsWith("horizontal/"), avg.path(0));

        INDArray raw = rawActivations(spec.tap("res3d").orElseThrow().layer());
        for (int i = 0; i < avg.rows(); i++) {
            for (int c = 0; c < channels; c++) {
                INDArray map = raw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c));
                float tol = 1e-6f * Math.max(1, Math.abs(avg.get(i, c)) + Math.abs(max.get(i, c)));
                assertEquals(map.meanNumber().floatValue(), avg.get(i, c), tol, "mean of map " + i + "," + c);
                assertEquals(map.maxNumber().floatValue(), max.get(i, c), tol, "max of map " + i + "," + c);
                assertEquals(avg.get(i, c), both.get(i, c), 0f, "avg+max starts with the average");
                assertEquals(max.get(i, c), both.get(i, channels + c), 0f, "then the maximum");
            }
        }
    }

    @Test
    void denseTapGivesItsWidth() throws IOException {
        Codes codes = codes(dir.resolve("cache-dense")).tap("avgpool").extract(images);
        assertEquals(spec.tap("avgpool").orElseThrow().shape()[0], codes.dim());
    }

    @Test
    void signedSquareRootThenUnitNorm() throws IOException {
        Path cache = dir.resolve("cache-norm");
        Codes plain = codes(cache).tap("res4f").extract(images);
        Codes rooted = codes(cache).tap("res4f").signedSqrt(true).extract(images);
        Codes both = codes(cache).tap("res4f").signedSqrt(true).l2Normalize(true).extract(images);
        Codes l2 = codes(cache).tap("res4f").l2Normalize(true).extract(images);
        for (int i = 0; i < plain.rows(); i++) {
            double normBoth = 0;
            double normL2 = 0;
            double normRooted = 0;
            for (int j = 0; j < plain.dim(); j++) {
                float x = plain.get(i, j);
                assertEquals((float) (Math.signum(x) * Math.sqrt(Math.abs(x))), rooted.get(i, j), 1e-6f);
                normBoth += (double) both.get(i, j) * both.get(i, j);
                normL2 += (double) l2.get(i, j) * l2.get(i, j);
                normRooted += (double) rooted.get(i, j) * rooted.get(i, j);
            }
            assertEquals(1.0, normBoth, 1e-5, "row " + i);
            assertEquals(1.0, normL2, 1e-5, "row " + i);
            assertTrue(Math.abs(normRooted - 1) > 1e-3, "the square root alone does not normalise");
            for (int j = 0; j < plain.dim(); j++) {
                assertEquals(rooted.get(i, j) / Math.sqrt(normRooted), both.get(i, j), 1e-5, "sqrt comes before L2");
            }
        }
        assertTrue(both.info().l2Normalized() && both.info().signedSqrt());
    }

    @Test
    void averageCodesShareTheFeaturizeCacheAndAreNotRecomputed() throws IOException {
        Path cache = dir.resolve("cache-shared");
        CountingEngine counting = new CountingEngine(new Dl4jCodeEngine(graph, "res3d_relu",
                FeatureCacheKey.weightsHash(graph)));
        Codes first = codes(cache).tap("res3d").engine(counting).extract(images);
        long afterFirst = counting.images;
        assertTrue(afterFirst >= 2 * PER_CLASS);
        Codes second = codes(cache).tap("res3d").engine(counting).extract(images);
        assertEquals(afterFirst + 1, counting.images, "only the one blank image that finds the tap's rank ran");
        for (int i = 0; i < first.rows(); i++) {
            assertArrayEquals(first.row(i), second.row(i));
        }

        // The featurize cache finds the same file under its own key: no trunk pass.
        Manifest manifest = ImageFolder.scan(images);
        FeatureCacheKey key = new FeatureCacheKey(spec.id(), FeatureCacheKey.weightsHash(graph), "res3d_relu", true,
                spec.input(), FeatureCacheKey.dataHash(manifest, manifest.okEntries()));
        FeatureTrunk trunk = new FeatureTrunk(graph, "res3d_relu", true, FeatureTrunk.Mode.LAYER_OUTPUT);
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(manifest, manifest.okEntries(), spec.input(), 4)) {
            FeatureCache.Result result = new FeatureCache(cache).getOrCompute(key, it, first.rows(), trunk);
            assertFalse(result.computed());
            assertEquals(0, trunk.imagesProcessed());
            result.features().close();
        }
        // Max pooling is another file.
        codes(cache).tap("res3d").pooling(Pooling.MAX).engine(counting).extract(images);
        try (var files = Files.list(cache)) {
            assertEquals(2, files.filter(f -> f.toString().endsWith(FeatureCache.EXTENSION)).count());
        }
    }

    @Test
    void poolingNames() {
        assertEquals(Pooling.AVG_MAX, Pooling.parse("avg+max"));
        assertEquals(Pooling.MAX, Pooling.parse("MAX"));
        org.junit.jupiter.api.Assertions.assertThrows(org.tl4j.data.InvalidInputException.class,
                () -> Pooling.parse("median"));
    }

    /** Counts images passed to the engine it wraps. */
    static final class CountingEngine implements CodeEngine {
        private final CodeEngine inner;
        long images;

        CountingEngine(CodeEngine inner) {
            this.inner = inner;
        }

        @Override
        public INDArray activations(INDArray batch) {
            images += batch.size(0);
            return inner.activations(batch);
        }

        @Override
        public String layer() {
            return inner.layer();
        }

        @Override
        public String weightsSha256() {
            return inner.weightsSha256();
        }
    }
}
