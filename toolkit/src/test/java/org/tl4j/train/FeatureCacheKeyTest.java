package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.InputSpec;

class FeatureCacheKeyTest {

    private static final String W = "a".repeat(64);
    private static final String D = "b".repeat(64);
    private static final InputSpec INPUT = InputSpec.imagenetTorchvision(32);

    private static FeatureCacheKey base() {
        return new FeatureCacheKey("resnet50-small", W, "pool5", false, INPUT, D);
    }

    @Test
    void sameInputsGiveTheSameKey() {
        assertEquals(base().digest(), new FeatureCacheKey("resnet50-small", W, "pool5", false,
                InputSpec.imagenetTorchvision(32), D).digest());
        assertEquals(64, base().digest().length());
    }

    @Test
    void everyComponentChangesTheKey() {
        String digest = base().digest();
        List<FeatureCacheKey> changed = List.of(
                new FeatureCacheKey("googlenet-small", W, "pool5", false, INPUT, D),
                new FeatureCacheKey("resnet50-small", "c".repeat(64), "pool5", false, INPUT, D),
                new FeatureCacheKey("resnet50-small", W, "res4f_relu", false, INPUT, D),
                new FeatureCacheKey("resnet50-small", W, "pool5", true, INPUT, D),
                new FeatureCacheKey("resnet50-small", W, "pool5", false, InputSpec.imagenetTorchvision(64), D),
                new FeatureCacheKey("resnet50-small", W, "pool5", false,
                        InputSpec.unitRange(32, 32, InputSpec.ChannelOrder.RGB), D),
                new FeatureCacheKey("resnet50-small", W, "pool5", false,
                        InputSpec.unitRange(32, 32, InputSpec.ChannelOrder.BGR), D),
                new FeatureCacheKey("resnet50-small", W, "pool5", false, INPUT, "d".repeat(64)));
        for (FeatureCacheKey key : changed) {
            assertNotEquals(digest, key.digest(), key.describe());
        }
    }

    @Test
    void dataHashFollowsContentLabelsPathsClassesAndOrder() {
        List<Manifest.Entry> entries = new ArrayList<>(List.of(
                Manifest.Entry.ok("a/1.png", "a", null, 10, "11", 32, 32, 3),
                Manifest.Entry.ok("b/2.png", "b", null, 10, "22", 32, 32, 3)));
        Manifest manifest = new Manifest(Path.of("/data"), List.of("a", "b"), entries, List.of());
        String hash = FeatureCacheKey.dataHash(manifest, entries);
        assertEquals(hash, FeatureCacheKey.dataHash(manifest, List.copyOf(entries)));

        List<Manifest.Entry> otherContent = List.of(entries.get(0),
                Manifest.Entry.ok("b/2.png", "b", null, 10, "23", 32, 32, 3));
        List<Manifest.Entry> otherLabel = List.of(entries.get(0),
                Manifest.Entry.ok("b/2.png", "a", null, 10, "22", 32, 32, 3));
        List<Manifest.Entry> otherPath = List.of(entries.get(0),
                Manifest.Entry.ok("b/3.png", "b", null, 10, "22", 32, 32, 3));
        List<Manifest.Entry> otherOrder = List.of(entries.get(1), entries.get(0));
        List<Manifest.Entry> fewer = List.of(entries.get(0));
        for (List<Manifest.Entry> other : List.of(otherContent, otherLabel, otherPath, otherOrder, fewer)) {
            assertNotEquals(hash, FeatureCacheKey.dataHash(manifest, other), other.toString());
        }
        Manifest reordered = new Manifest(Path.of("/data"), List.of("b", "a"), entries, List.of());
        assertNotEquals(hash, FeatureCacheKey.dataHash(reordered, entries), "class order gives label numbers");
    }

    @Test
    void weightsHashChangesWithAnyParameter() {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph graph = Architectures.build(spec, 1);
        String hash = FeatureCacheKey.weightsHash(graph);
        assertEquals(hash, FeatureCacheKey.weightsHash(Architectures.build(spec, 1)));
        assertNotEquals(hash, FeatureCacheKey.weightsHash(Architectures.build(spec, 2)));
        graph.params().putScalar(graph.params().length() - 1, 123.0);
        assertNotEquals(hash, FeatureCacheKey.weightsHash(graph));
    }
}
