package org.tl4j.zoo.safety;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SafeModelLoaderTest {

    @TempDir
    Path temp;

    private Path model;

    @BeforeEach
    void writeModel() throws IOException {
        model = temp.resolve("model.zip");
        ModelSerializer.writeModel(tinyGraph(3), model.toFile(), true);
    }

    @Test
    void restoresAGraphWithItsParametersAndUpdaterState() throws IOException {
        ComputationGraph original = ModelSerializer.restoreComputationGraph(model.toFile(), true);

        ComputationGraph restored = SafeModelLoader.standard().restoreComputationGraph(model, true);

        assertEquals(original.params(), restored.params());
        assertEquals(original.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @Test
    void neverInstantiatesASerialisedClassOutsideTheAllowList() throws IOException {
        Path hostile = CraftedZips.withExtraEntries(model,
                Map.of("preprocessor.bin", SerialisedPayloads.serialise(new SerialisedPayloads.Hostile())),
                temp.resolve("hostile.zip"));
        int readsBefore = SerialisedPayloads.HOSTILE_READS.get();

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(hostile, false));

        assertEquals(readsBefore, SerialisedPayloads.HOSTILE_READS.get(), "the hostile readObject ran");
        assertTrue(e.getMessage().contains(SerialisedPayloads.Hostile.class.getName())
                && e.getMessage().contains("preprocessor.bin") && e.getMessage().contains("--trust-model"),
                e.getMessage());
    }

    @Test
    void plainDl4jWouldHaveRunTheHostileReadObject() throws IOException {
        // The control for the test above: proves the crafted entry is one DL4J deserialises.
        Path hostile = CraftedZips.withExtraEntries(model,
                Map.of("preprocessor.bin", SerialisedPayloads.serialise(new SerialisedPayloads.Hostile())),
                temp.resolve("hostile.zip"));
        int readsBefore = SerialisedPayloads.HOSTILE_READS.get();

        assertThrows(RuntimeException.class, () -> ModelSerializer.restoreComputationGraph(hostile.toFile(), false));

        assertEquals(readsBefore + 1, SerialisedPayloads.HOSTILE_READS.get());
    }

    @Test
    void refusesHostileObjectsEntriesToo() throws IOException {
        Path hostile = CraftedZips.withExtraEntries(model,
                Map.of("objects/extra", SerialisedPayloads.serialise(new SerialisedPayloads.Hostile())),
                temp.resolve("objects.zip"));
        int readsBefore = SerialisedPayloads.HOSTILE_READS.get();

        assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(hostile, false));

        assertEquals(readsBefore, SerialisedPayloads.HOSTILE_READS.get());
    }

    @Test
    void aTrustedFileLoadsWithoutEverDeserialisingTheEntry() throws IOException {
        Path hostile = CraftedZips.withExtraEntries(model,
                Map.of("preprocessor.bin", SerialisedPayloads.serialise(new SerialisedPayloads.Hostile())),
                temp.resolve("trusted.zip"));
        int readsBefore = SerialisedPayloads.HOSTILE_READS.get();

        ComputationGraph graph = SafeModelLoader.of(true).restoreComputationGraph(hostile, false);

        assertEquals(tinyGraph(3).params(), graph.params());
        assertEquals(readsBefore, SerialisedPayloads.HOSTILE_READS.get());
    }

    @Test
    void theProcessWideTrustSwitchIsWhatTrustModelSets() throws IOException {
        Path hostile = CraftedZips.withExtraEntries(model,
                Map.of("preprocessor.bin", SerialisedPayloads.serialise(new SerialisedPayloads.Hostile())),
                temp.resolve("switch.zip"));
        try {
            SafeModelLoader.trustModelsInThisProcess(true);
            assertEquals(tinyGraph(3).params(), SafeModelLoader.standard().restoreComputationGraph(hostile, false)
                    .params());
        } finally {
            SafeModelLoader.trustModelsInThisProcess(false);
        }
        assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(hostile, false));
    }

    @Test
    void acceptsSerialisedClassesOnTheAllowList() throws IOException {
        Path allowed = CraftedZips.withExtraEntries(model,
                Map.of("objects/value", SerialisedPayloads.serialise(new SerialisedPayloads.Allowed())),
                temp.resolve("allowed.zip"));
        SafeModelLoader loader = SafeModelLoader.standard()
                .withAllowList(new SerialAllowList(Set.of(SerialisedPayloads.Allowed.class.getName())));

        assertEquals(tinyGraph(3).params(), loader.restoreComputationGraph(allowed, false).params());
        assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(allowed, false));
    }

    @Test
    void refusesZipSlipAndAbsoluteEntryNames() throws IOException {
        for (String name : new String[] {"../../etc/cron.d/evil", "objects/../../x", "/etc/passwd", "C:\\evil.bin"}) {
            Path slip = CraftedZips.withExtraEntries(model, Map.of(name, new byte[] {1}), temp.resolve("slip.zip"));

            ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                    () -> SafeModelLoader.standard().restoreComputationGraph(slip, false), name);

            assertTrue(e.getMessage().contains("zip slip"), e.getMessage());
        }
    }

    @Test
    void refusesAnEntryDeclaringTenGigabytesBeforeReadingIt() throws IOException {
        Path bomb = CraftedZips.declaringSize("coefficients.bin", 10L * 1000 * 1000 * 1000, temp.resolve("10gb.zip"));

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(bomb, false));

        assertTrue(e.getMessage().contains("declares 10000000000 bytes"), e.getMessage());
    }

    @Test
    void stopsAnEntryThatExpandsBeyondTheLimit() throws IOException {
        // 16 MiB of zeros deflate to about 16 KB: a small zip bomb, refused under a 1 MiB limit.
        Path bomb = CraftedZips.withExtraEntries(model, Map.of("objects/zeros", new byte[16 << 20]),
                temp.resolve("bomb.zip"));
        assertTrue(Files.size(bomb) < 100_000);
        SafeModelLoader loader = SafeModelLoader.standard().withLimits(new ModelZipLimits(10, 1 << 20, 2 << 20));

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> loader.restoreComputationGraph(bomb, false));

        assertTrue(e.getMessage().contains("objects/zeros"), e.getMessage());
    }

    @Test
    void refusesTooManyEntries() throws IOException {
        Map<String, byte[]> many = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("objects/o" + i, new byte[] {(byte) i});
        }
        Path crowded = CraftedZips.withExtraEntries(model, many, temp.resolve("crowded.zip"));
        SafeModelLoader loader = SafeModelLoader.standard()
                .withLimits(new ModelZipLimits(10, Integer.MAX_VALUE, Long.MAX_VALUE));

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> loader.restoreComputationGraph(crowded, false));

        assertTrue(e.getMessage().contains("entries"), e.getMessage());
    }

    @Test
    void refusesTruncatedZipsWithAClearMessage() throws IOException {
        byte[] whole = Files.readAllBytes(model);
        for (int keep : new int[] {whole.length - 10, whole.length / 2, 100}) {
            Path truncated = Files.write(temp.resolve("truncated-" + keep + ".zip"), Arrays.copyOf(whole, keep));

            ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                    () -> SafeModelLoader.standard().restoreComputationGraph(truncated, false));

            assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"),
                    e.getMessage());
        }
    }

    @Test
    void refusesACorruptedEntry() throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 3] ^= 0x5A;
        Path corrupted = Files.write(temp.resolve("corrupted.zip"), bytes);

        assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(corrupted, false));
    }

    @Test
    void namesAMultiLayerNetworkForWhatItIs() throws IOException {
        Path network = temp.resolve("mln.zip");
        MultiLayerNetwork mln = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        mln.init();
        ModelSerializer.writeModel(mln, network.toFile(), false);

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(network, false));

        assertTrue(e.getMessage().contains("MultiLayerNetwork") && e.getMessage().contains("toComputationGraph"),
                e.getMessage());
    }

    @Test
    void refusesAZipThatIsNotAModel() throws IOException {
        Path photos = temp.resolve("photos.zip");
        try (OutputStream out = Files.newOutputStream(photos); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("cat.jpg"));
            zip.write(1);
        }

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(photos, false));

        assertTrue(e.getMessage().contains("configuration.json"), e.getMessage());
    }

    @Test
    void refusesConfigurationNamingClassesOutsideDl4j() throws IOException {
        Map<String, byte[]> entries = CraftedZips.entries(model);
        String json = new String(entries.get("configuration.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"@class\" : \"org.deeplearning4j."), "fixture has no @class to replace");
        String foreign = json.replaceFirst("\"@class\" : \"org\\.deeplearning4j\\.[A-Za-z.]+\"",
                "\"@class\" : \"com.example.Gadget\"");
        Path crafted = CraftedZips.withExtraEntries(model,
                Map.of("configuration.json", foreign.getBytes(StandardCharsets.UTF_8)), temp.resolve("gadget.zip"));

        ModelFileRejectedException e = assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(crafted, false));

        assertTrue(e.getMessage().contains("com.example.Gadget"), e.getMessage());
    }

    @Test
    void loadingLeavesTheFileByteForByteAndTimeUnchanged() throws Exception {
        // A normalizer entry is what makes DL4J's restoreNormalizerFromFile rewrite a file (when it is in the old,
        // Java-serialised format); check both formats, the old one with a trusted loader that lets it through.
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(new org.nd4j.linalg.dataset.DataSet(Nd4j.linspace(1, 20, 20).reshape(5, 4), Nd4j.zeros(5, 2)));
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        NormalizerSerializer.getDefault().write(normalizer, current);
        Path currentFormat = CraftedZips.withExtraEntries(model, Map.of("normalizer.bin", current.toByteArray()),
                temp.resolve("normalizer.zip"));
        Path oldFormat = CraftedZips.withExtraEntries(model,
                Map.of("normalizer.bin", SerialisedPayloads.serialise(normalizer)), temp.resolve("old.zip"));

        for (Path file : new Path[] {model, currentFormat, oldFormat}) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
            byte[] hashBefore = sha256(file);

            SafeModelLoader.of(file == oldFormat).restoreComputationGraph(file, true);

            assertEquals(FileTime.fromMillis(1_600_000_000_000L), Files.getLastModifiedTime(file), file.toString());
            assertArrayEquals(hashBefore, sha256(file), file.toString());
        }
    }

    @Test
    void leavesNoTemporaryCopyBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countVerifiedCopies(tmp);
        SafeModelLoader.standard().restoreComputationGraph(model, false);
        Path truncated = Files.write(temp.resolve("t.zip"), Arrays.copyOf(Files.readAllBytes(model), 300));
        assertThrows(ModelFileRejectedException.class,
                () -> SafeModelLoader.standard().restoreComputationGraph(truncated, false));

        assertEquals(before, countVerifiedCopies(tmp));
    }

    private static long countVerifiedCopies(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("tl4j-verified-model-")).count();
        }
    }

    private static byte[] sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    static ComputationGraph tinyGraph(long seed) {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new org.nd4j.linalg.learning.config.Nesterovs(0.1, 0.9))
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        return graph;
    }
}
