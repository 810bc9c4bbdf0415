package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** Training a new head from cached features, and its equivalence with DL4J's frozen-graph training. */
class FeatureHeadTest {

    @TempDir
    static Path shared;

    static AdapterSpec spec;
    static ComputationGraph graph;
    static Manifest manifest;
    static List<Manifest.Entry> entries;

    @BeforeAll
    static void setUp() throws IOException {
        spec = AdapterRegistry.builtIn().get("resnet50-small");
        graph = Architectures.build(spec, 5);
        manifest = ImageFolder.scan(FeatureTestData.stripes(shared.resolve("data"), 6, 9));
        entries = manifest.okEntries();
    }

    private static FeatureFile featurize(FeatureTrunk trunk) throws IOException {
        FeatureCacheKey key = new FeatureCacheKey(spec.id(), FeatureCacheKey.weightsHash(graph), trunk.cut(),
                trunk.pooled(), spec.input(), FeatureCacheKey.dataHash(manifest, entries));
        try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries, spec.input(), 8)) {
            return new FeatureCache(shared.resolve("cache")).getOrCompute(key, images, entries.size(), trunk)
                    .features();
        }
    }

    @Test
    void trainingFromTheCacheReducesTheLoss() throws IOException {
        FeatureTrunk trunk = new FeatureTrunk(graph, "res3d_relu", true, FeatureTrunk.Mode.SUB_GRAPH);
        try (FeatureFile features = featurize(trunk)) {
            long before = trunk.imagesProcessed();
            FeatureHead head = new FeatureHead(features.featureLength(), features.classes(), 1e-2, 1);
            double[] losses = head.fit(new CachedFeatureIterator(features, 4, 1, true, manifest.classes()), 30,
                    null);
            assertEquals(30, losses.length);
            assertTrue(losses[29] < 0.5 * losses[0], "loss " + losses[0] + " -> " + losses[29]);
            assertEquals(before, trunk.imagesProcessed(), "head epochs never run the trunk");
        }
    }

    @Test
    void frozenGraphWithTheSameHeadScoresLikeTheHeadOnCachedFeatures() throws IOException {
        for (boolean pooled : new boolean[] {true, false}) {
            FeatureTrunk trunk = new FeatureTrunk(graph, "res3d_relu", pooled, FeatureTrunk.Mode.SUB_GRAPH);
            try (FeatureFile features = featurize(trunk);
                 ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries, spec.input(), 12)) {
                FeatureHead head = new FeatureHead(features.featureLength(), features.classes(), 1e-2, 1);
                ComputationGraph frozen = head.onFrozenGraph(graph, trunk, trunk.rawRowShape(spec.input()));
                DataSet imageBatch = images.next();
                DataSet featureBatch = new CachedFeatureIterator(features, 12, 0, false, null).next();
                assertEquals(head.graph().score(featureBatch), frozen.score(imageBatch), 1e-4,
                        "pooled=" + pooled);
                // One training epoch runs on the frozen graph and leaves the trunk's weights alone.
                String trunkLayer = "res2a_branch2a";
                var trunkBefore = frozen.getLayer(trunkLayer).params().dup();
                try (ImageFolderIterator train = ImageFolderIterator.of(manifest, entries, spec.input(), 4, 1)) {
                    FeatureHead.fit(frozen, train, 1, null);
                }
                assertEquals(trunkBefore, frozen.getLayer(trunkLayer).params());
            }
        }
    }
}
