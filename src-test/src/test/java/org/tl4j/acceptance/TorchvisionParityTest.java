package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.provider.ValueSource;
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
