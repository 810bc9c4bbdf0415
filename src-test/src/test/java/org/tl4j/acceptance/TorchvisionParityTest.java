package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.load.GraphWeightTransfer;
import org.tl4j.zoo.load.PretrainedModel;
import org.tl4j.zoo.weights.WeightSettings;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.onnx.ImportedModel;
import org.tl4j.zoo.onnx.OnnxImporter;
import org.tl4j.zoo.onnx.OnnxTensors;

/**
 * Full-size torchvision ResNet-50, GoogLeNet and AlexNet, exported to ONNX by PyTorch with seeded random weights
 * (zoo-adapters/src/test/python/export_torchvision.py), imported into DL4J and run on the same 8 random
 * 224x224 inputs: the outputs must match PyTorch's within {@value #TOLERANCE} relative error
 * (max|dl4j - torch| / max|torch|) with the same top-1 class for all 8 inputs. Prints parity, import time and
 * batched inference time per model.
 *
 * <p>Fixtures are cached in {@code ~/.cache/tl4j/fixtures/torchvision-<script hash>} (override with
 * {@code -Dtl4j.fixtures=DIR}); the first run exports them (about a minute).
 */
class TorchvisionParityTest {

    static final double TOLERANCE = 1e-3;
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("../zoo-adapters/src/test/python/export_torchvision.py");

    private static Path fixtures;

    @BeforeAll
    static void exportFixtures() throws IOException, InterruptedException {
        fixtures = ensureFixtures();
        Nd4j.zeros(1); // load ND4J's native backend here, so the first model's import time is the import's alone
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "googlenet", "resnet50"})
    void importedModelMatchesPyTorch(String model) throws IOException {
        Path dir = fixtures.resolve(model);
        long t0 = System.nanoTime();
        ImportedModel imported = OnnxImporter.importGraph(dir.resolve("model.onnx"));
        long t1 = System.nanoTime();
        INDArray input = OnnxTensors.read(dir.resolve("test_data_set_0/input_0.pb"));
        INDArray expected = OnnxTensors.read(dir.resolve("test_data_set_0/output_0.pb"));
        INDArray actual = imported.output(input)[0];
        long t2 = System.nanoTime();

        INDArray diff = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE));
        double maxAbs = diff.amaxNumber().doubleValue();
        double relative = maxAbs / Math.max(expected.amaxNumber().doubleValue(), 1e-6);
        long[] expectedTop1 = expected.argMax(1).toLongVector();
        long[] actualTop1 = actual.argMax(1).toLongVector();
        int agree = 0;
        for (int i = 0; i < expectedTop1.length; i++) {
            agree += expectedTop1[i] == actualTop1[i] ? 1 : 0;
        }
        System.out.printf("%-9s parity: max abs %.3g, relative %.3g; top-1 agrees %d/%d; import %.1f s; "
                        + "DL4J inference of %d images (one batch) %.1f s; %d DL4J vertices%n",
                model, maxAbs, relative, agree, expectedTop1.length, (t1 - t0) / 1e9, input.size(0), (t2 - t1) / 1e9,
                imported.graph().getVertices().length);

        assertTrue(relative < TOLERANCE, model + ": relative error " + relative + " exceeds " + TOLERANCE);
        assertArrayEquals(expectedTop1, actualTop1, model + ": top-1 classes differ from PyTorch's");
    }

    /**
     * The imported weights carried onto tl4j's own graph of the same network (published layer names, the
     * adapter's taps and groups) by {@link GraphWeightTransfer}: the adapter's graph must then give PyTorch's
     * answers too. This is what loading a torchvision export into an adapter does.
     */
    @ParameterizedTest
    @CsvSource({"alexnet, alexnet-torchvision.imagenet", "googlenet, googlenet-torchvision.imagenet",
            "resnet50, resnet50-torchvision.imagenet"})
    void importedWeightsFitTheAdapterGraph(String model, String adapterId) throws IOException {
        Path dir = fixtures.resolve(model);
        ImportedModel imported = OnnxImporter.importGraph(dir.resolve("model.onnx"));
        AdapterSpec spec = AdapterRegistry.builtIn().get(adapterId);
        ComputationGraph adapter = Architectures.build(spec, 1);

        List<GraphWeightTransfer.Pair> pairs = GraphWeightTransfer.copy(imported.graph(), adapter);

        INDArray input = OnnxTensors.read(dir.resolve("test_data_set_0/input_0.pb"))
                .get(NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray expectedLogits = OnnxTensors.read(dir.resolve("test_data_set_0/output_0.pb"))
                .get(NDArrayIndex.interval(0, 2), NDArrayIndex.all());
        // Compare logits, not probabilities: random weights give saturated softmax outputs that hide errors.
        String classifier = spec.head().layer();
        String features = adapter.getConfiguration().getVertexInputs().get(classifier).get(0);
        INDArray pooled = adapter.feedForward(input, false).get(features);
        INDArray actual = pooled.reshape(pooled.size(0), -1).mmul(adapter.getLayer(classifier).getParam("W"))
                .addRowVector(adapter.getLayer(classifier).getParam("b")).castTo(DataType.DOUBLE);
        INDArray expected = expectedLogits.castTo(DataType.DOUBLE);
        double relative = actual.sub(expected).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        System.out.printf("%-9s onto %s: %d layers copied, logits within %.3g relative of PyTorch's%n",
                model, adapterId, pairs.size(), relative);
        assertTrue(relative < TOLERANCE, adapterId + ": relative error " + relative);
        assertArrayEquals(expected.argMax(1).toLongVector(), actual.argMax(1).toLongVector());
        assertArrayEquals(expected.argMax(1).toLongVector(), adapter.outputSingle(false, input).argMax(1).toLongVector());
        assertEquals(spec.head().layer(), pairs.get(pairs.size() - 1).toLayer(), "the classifier pairs last");
    }

    /**
     * The whole load path for an adapter whose descriptor lists an ONNX weight file: fetched from a {@code file:}
     * URL into a fresh cache (SHA-256 checked), converted by the importer and cached as a DL4J zip, copied onto the
     * adapter's graph and checked against the file's own graph; a second load reuses the converted zip.
     */
    @org.junit.jupiter.api.Test
    void adapterLoaderFetchesConvertsAndChecksAnOnnxWeightSource(@org.junit.jupiter.api.io.TempDir Path work)
            throws IOException {
        Path onnx = fixtures.resolve("alexnet/model.onnx");
        Path adapters = Files.createDirectories(work.resolve("adapters"));
        Files.writeString(adapters.resolve("alexnet-test.imagenet.json"), """
                {"id": "alexnet-test.imagenet", "extends": "alexnet-torchvision.imagenet",
                 "weights": [{"uri": "%s", "format": "ONNX", "sha256": "%s", "sizeBytes": %d,
                              "licence": "test", "origin": "torchvision alexnet, random weights, seed in the script"}]}
                """.formatted(onnx.toUri(), sha256(Files.readAllBytes(onnx)), Files.size(onnx)));
        AdapterSpec spec = AdapterRegistry.builtIn().withDirectory(adapters).get("alexnet-test.imagenet");
        AdapterLoader loader = new AdapterLoader(WeightSettings.fromEnvironment().withCacheDir(work.resolve("cache")));

        long t0 = System.nanoTime();
        PretrainedModel first = loader.load(spec);
        long t1 = System.nanoTime();
        PretrainedModel second = loader.load(spec);
        long t2 = System.nanoTime();
        System.out.printf("AdapterLoader alexnet: first load %.1f s (fetch + import + copy + check), second %.1f s;"
                + " %d layers, check error %.3g%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, first.layersCopied(),
                first.checkRelError());

        assertTrue(first.checkRelError() < 1e-4, "check error " + first.checkRelError());
        assertEquals(first.weights(), second.weights(), "the converted zip is reused");
        INDArray input = OnnxTensors.read(fixtures.resolve("alexnet/test_data_set_0/input_0.pb"));
        INDArray expected = OnnxTensors.read(fixtures.resolve("alexnet/test_data_set_0/output_0.pb"));
        assertArrayEquals(expected.argMax(1).toLongVector(), second.graph().outputSingle(false, input).argMax(1).toLongVector());
    }

    /** Exports the fixtures once per script version; skips only when Debian's Python lacks torch. */
    static Path ensureFixtures() throws IOException, InterruptedException {
        boolean torch = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c",
                "import torch, torchvision, onnx"), false);
        Assumptions.assumeTrue(torch, PYTHON + " cannot import torch, torchvision and onnx: "
                + "apt-get install python3-torch python3-torchvision python3-onnx");
        Path script = SCRIPT.toAbsolutePath().normalize();
        String hash = sha256(Files.readAllBytes(script)).substring(0, 16);
        Path root = Path.of(System.getProperty("tl4j.fixtures",
                Path.of(System.getProperty("user.home"), ".cache", "tl4j", "fixtures").toString()));
        Path dir = root.resolve("torchvision-" + hash);
        if (!Files.isDirectory(dir)) {
            System.out.println("Exporting torchvision fixtures to " + dir);
            if (!run(List.of(PYTHON.toString(), script.toString(), "--out", dir.toString()), true)) {
                throw new IllegalStateException("fixture export failed: " + script + " --out " + dir);
            }
        }
        return dir;
    }

    private static boolean run(List<String> command, boolean showOutput) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(showOutput ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PYTHONWARNINGS", "ignore");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
