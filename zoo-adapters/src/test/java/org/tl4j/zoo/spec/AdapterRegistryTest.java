package org.tl4j.zoo.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterRegistryTest {

    /** A complete descriptor, written by the tests into a temporary adapter folder. */
    private static final String BASE = """
            {
              "id": "tiny.base",
              "description": "a tiny net",
              "architecture": {"name": "resnet50", "builder": "org.tl4j.zoo.arch.ResNet50", "variant": "torchvision", "width": 1.0},
              "input": {"height": 224, "width": 224, "channelOrder": "RGB", "pixelRange": "UNIT",
                        "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "resize": "CENTER_CROP"},
              "head": {"layer": "fc1000", "classes": 1000, "classNames": "imagenet.txt"},
              "taps": [{"name": "res4f", "layer": "res4f_relu", "shape": [1024, 14, 14]},
                       {"name": "avgpool", "layer": "pool5", "shape": [2048]}],
              "defaultTap": "avgpool",
              "groups": [{"name": "body", "lrMultiplier": 0.1, "layers": ["conv1", "bn_conv1", "res*", "bn*"]},
                         {"name": "head", "lrMultiplier": 1.0, "layers": ["fc1000"]}],
              "weights": [{"uri": "https://example.org/w.zip", "format": "DL4J_ZIP",
                           "sha256": "%s", "sizeBytes": 12, "licence": "MIT", "origin": "test"}]
            }
            """.formatted("ab".repeat(32));

    @TempDir
    Path dir;

    private AdapterRegistry registry(String... idAndJson) throws IOException {
        for (int i = 0; i < idAndJson.length; i += 2) {
            Files.writeString(dir.resolve(idAndJson[i] + ".json"), idAndJson[i + 1]);
        }
        return AdapterRegistry.fromDirectory(dir);
    }

    @Test
    void readsEveryFieldOfADescriptor() throws IOException {
        AdapterSpec spec = registry("tiny.base", BASE).get("tiny.base");
        assertEquals("resnet50", spec.architecture().name());
        assertEquals(InputSpec.imagenetTorchvision(224), spec.input());
        assertEquals(new HeadSpec("fc1000", 1000, "imagenet.txt"), spec.head());
        assertEquals(new Tap("avgpool", "pool5", new int[] {2048}), spec.defaultTapSpec());
        assertArrayEquals(new int[] {1024, 14, 14}, spec.tap("res4f").orElseThrow().shape());
        assertEquals("head", spec.headGroup().name());
        assertEquals("body", spec.groupOf("res3b_branch2a").orElseThrow().name());
        assertEquals(0.1, spec.groupOf("bn_conv1").orElseThrow().lrMultiplier());
        assertEquals(1, spec.weights().size());
        assertEquals("w.zip", spec.weights().get(0).fileName());
        assertTrue(spec.hasWeights());
    }

    @Test
    void variantOverridesOnlyWhatDiffers() throws IOException {
        String small = """
                {"extends": "tiny.base", "architecture": {"width": 0.25}, "input": {"height": 32, "width": 32},
                 "taps": [{"name": "avgpool", "layer": "pool5", "shape": [512]}], "weights": []}
                """;
        AdapterRegistry registry = registry("tiny.base", BASE, "tiny.small", small);
        AdapterSpec spec = registry.get("tiny.small");
        assertEquals("tiny.small", spec.id());
        assertEquals(0.25, spec.architecture().width());
        assertEquals("torchvision", spec.architecture().variant(), "inherited inside an overridden object");
        assertEquals(32, spec.input().height());
        assertEquals(InputSpec.ChannelOrder.RGB, spec.input().channelOrder());
        assertArrayEquals(new double[] {0.229, 0.224, 0.225}, spec.input().std());
        assertEquals(List.of(new Tap("avgpool", "pool5", new int[] {512})), spec.taps(), "arrays replace");
        assertEquals("a tiny net", spec.description());
        assertFalse(spec.hasWeights());
        assertEquals(List.of("tiny.base", "tiny.small"), registry.ids());
    }

    @Test
    void unknownIdNamesTheKnownIds() throws IOException {
        AdapterRegistry registry = registry("tiny.base", BASE);
        UnknownAdapterException e = assertThrows(UnknownAdapterException.class, () -> registry.get("resnet51"));
        assertTrue(e.getMessage().contains("resnet51") && e.getMessage().contains("tiny.base"), e.getMessage());
        assertEquals(List.of("tiny.base"), e.knownIds());
    }

    @Test
    void descriptorErrorsNameTheFileAndTheProblem() throws IOException {
        AdapterRegistry typo = registry("tiny.typo", BASE.replace("\"id\": \"tiny.base\",", "").replace("description", "descripton"));
        AdapterSpecException e = assertThrows(AdapterSpecException.class, () -> typo.get("tiny.typo"));
        assertTrue(e.getMessage().contains("tiny.typo.json") && e.getMessage().contains("descripton"), e.getMessage());
        AdapterRegistry missing = registry("tiny.missing", BASE.replace("\"id\": \"tiny.base\",", "").replace("defaultTap", "defaultTapp"));
        AdapterSpecException m = assertThrows(AdapterSpecException.class, () -> missing.get("tiny.missing"));
        assertTrue(m.getMessage().contains("tiny.missing.json") && m.getMessage().contains("defaultTap"), m.getMessage());
    }

    @Test
    void badTapShapeIsRefusedWithTheTapsName() throws IOException {
        AdapterRegistry bad = registry("tiny.base", BASE.replace("[2048]", "[2048, 1]"));
        AdapterSpecException e = assertThrows(AdapterSpecException.class, () -> bad.get("tiny.base"));
        assertTrue(e.getMessage().contains("avgpool") && e.getMessage().contains("tiny.base.json"), e.getMessage());
    }

    @Test
    void idThatDisagreesWithTheFileNameIsRefused() {
        AdapterSpecException e = assertThrows(AdapterSpecException.class, () -> registry("other", BASE));
        assertTrue(e.getMessage().contains("other.json") && e.getMessage().contains("tiny.base"), e.getMessage());
    }

    @Test
    void invalidJsonNamesTheFile() {
        AdapterSpecException e = assertThrows(AdapterSpecException.class, () -> registry("broken", "{\"id\": "));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    }

    @Test
    void extendingAnUnknownOrCyclicParentIsRefused() throws IOException {
        AdapterRegistry registry = registry("a", "{\"extends\": \"b\"}", "b", "{\"extends\": \"a\"}",
                "c", "{\"extends\": \"nothing\"}");
        AdapterSpecException cycle = assertThrows(AdapterSpecException.class, () -> registry.get("a"));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        AdapterSpecException unknown = assertThrows(AdapterSpecException.class, () -> registry.get("c"));
        assertTrue(unknown.getMessage().contains("nothing") && unknown.getMessage().contains("c.json"),
                unknown.getMessage());
    }

    @Test
    void missingFolderIsRefused() {
        assertThrows(AdapterSpecException.class, () -> AdapterRegistry.fromDirectory(dir.resolve("absent")));
    }

    @Test
    void readsDescriptorsFromAJarOnTheClasspath() throws Exception {
        Path jar = dir.resolve("adapters.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("adapters/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("adapters/tiny.base.json"));
            out.write(BASE.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            AdapterRegistry registry = AdapterRegistry.fromClasspath(loader);
            assertEquals(List.of("tiny.base"), registry.ids());
            assertEquals("fc1000", registry.get("tiny.base").head().layer());
        }
    }

    @Test
    void builtInRegistryListsTheShippedAdapters() {
        List<String> ids = AdapterRegistry.builtIn().ids();
        assertTrue(ids.containsAll(List.of("resnet50.imagenet", "googlenet.imagenet", "alexnet.imagenet",
                "resnet50-small", "googlenet-small", "alexnet-small")), ids.toString());
    }
}
