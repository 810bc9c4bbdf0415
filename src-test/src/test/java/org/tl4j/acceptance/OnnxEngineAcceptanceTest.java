package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.tl4j.infer.EngineChoice;
import org.tl4j.infer.EngineSelection;
import org.tl4j.infer.Engines;
import org.tl4j.infer.ImportedTaps;
import org.tl4j.infer.InferenceEngine;
import org.tl4j.infer.InferenceModel;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.zoo.onnx.ExportOptions;
import org.tl4j.zoo.onnx.ImportedModel;
import org.tl4j.zoo.onnx.OnnxExporter;
import org.tl4j.zoo.onnx.OnnxImporter;
import org.tl4j.zoo.onnx.OnnxTensors;

/**
 * Full-size ResNet-50 (torchvision's, exported by PyTorch with seeded random weights; see TorchvisionParityTest):
 * ONNX Runtime on the source file agrees with PyTorch and with DL4J; the imported DL4J graph exported again by
 * tl4j is accepted by ONNX's checker, runs on ONNX Runtime as DL4J runs it, and imports back to the same function;
 * auto picks ONNX Runtime for pooled codes read from the source file at the last pooling layer.
 */
class OnnxEngineAcceptanceTest {

    @TempDir
    Path dir;

    @Test
    void fullResNet50ExportsAndRunsOnOnnxRuntimeAsInDl4j() throws Exception {
        Path source = TorchvisionParityTest.ensureFixtures().resolve("resnet50");
        Path file = source.resolve("model.onnx");
        long t0 = System.nanoTime();
        ImportedModel imported = OnnxImporter.importGraph(file);
        INDArray input = OnnxTensors.read(source.resolve("test_data_set_0/input_0.pb"))
                .get(NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        INDArray torch = OnnxTensors.read(source.resolve("test_data_set_0/output_0.pb"))
                .get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup();
        INDArray dl4j = imported.output(input)[0];
        OnnxFiles cache = new OnnxFiles(dir.resolve("cache"));

        // The source file, run directly by ONNX Runtime through the engine seam.
        InferenceModel whole = ImportedTaps.model(imported, file, null, false);
        try (InferenceEngine ort = Engines.open(EngineChoice.ONNXRUNTIME, whole, input, cache, 2).engine()) {
            INDArray logits = ort.run(input);
            assertTrue(Engines.relativeError(logits, torch) < 1e-4, "ONNX Runtime vs PyTorch");
            assertTrue(Engines.relativeError(logits, dl4j) < 1e-3, "ONNX Runtime vs DL4J");
        }

        // tl4j's export of the imported graph: checker, ONNX Runtime, and back into DL4J.
        Path exported = dir.resolve("resnet50-tl4j.onnx");
        OnnxExporter.write(imported.graph(), ExportOptions.whole("resnet50", 3, 224, 224), exported);
        InferenceModel tl4j = InferenceModel.ofGraph("resnet50", imported.graph(), new long[] {3, 224, 224}, null,
                false);
        try (InferenceEngine ort = Engines.open(EngineChoice.ONNXRUNTIME, tl4j, input, cache, 2).engine()) {
            assertTrue(Engines.relativeError(ort.run(input), dl4j) < 1e-4, "ONNX Runtime on tl4j's export vs DL4J");
        }
        assertTrue(Engines.relativeError(OnnxImporter.importGraph(exported).output(input)[0], dl4j) < 1e-5,
                "DL4J -> ONNX -> DL4J");
        checkModel(exported);

        // Pooled codes at the last GlobalAveragePool's input, read from the source file with that value added as output.
        String lastPoolInput = null;
        String lastPoolVertex = null;
        for (var node : onnx.Onnx.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(file)).getGraph().getNodeList()) {
            if (node.getOpType().equals("GlobalAveragePool")) {
                lastPoolInput = node.getInput(0);
            }
        }
        for (var node : onnx.Onnx.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(file)).getGraph().getNodeList()) {
            if (!node.getOutputList().isEmpty() && node.getOutput(0).equals(lastPoolInput)) {
                lastPoolVertex = imported.nodeToVertex().get(node.getName().isEmpty() ? node.getOutput(0)
                        : node.getName());
            }
        }
        InferenceModel codes = ImportedTaps.model(imported, file, lastPoolVertex, true);
        EngineSelection auto = Engines.open(EngineChoice.AUTO, codes, input, cache, 2);
        try (InferenceEngine engine = auto.engine()) {
            assertEquals("onnxruntime", engine.name(), auto.reason());
            assertEquals(2048, engine.run(input).size(1));
        }
        System.out.printf("full ResNet-50: import, DL4J, ONNX Runtime, export, checker and round trip in %.1f s;"
                + " auto parity %.2g%n", (System.nanoTime() - t0) / 1e9, auto.parityError());
    }

    private static void checkModel(Path file) throws Exception {
        Process p = new ProcessBuilder(TorchvisionParityTest.PYTHON.toString(), "-c",
                "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "onnx.checker rejected " + file + ":\n" + out);
    }
}
