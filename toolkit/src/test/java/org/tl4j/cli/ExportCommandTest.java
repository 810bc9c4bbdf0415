package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.infer.Engines;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.onnx.OnnxImporter;
import org.tl4j.zoo.onnx.OnnxMetadata;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

class ExportCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void adapterCutAtATapGivesACodesFileWithItsPreprocessing() throws Exception {
        Path file = dir.resolve("codes.onnx");
        Run r = run("export", "--model", "alexnet-small", "--untrained", "--seed", "3", "--tap", "pool5", "--pool",
                "--out", file.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("output 'pool5_pooled'"), r.out());
        Onnx.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = Onnx.ModelProto.parseFrom(in);
        }
        assertEquals("alexnet-small", OnnxMetadata.read(model).get(OnnxMetadata.ADAPTER));
        assertEquals("pool5", OnnxMetadata.read(model).get(OnnxMetadata.TAP));
        assertEquals("0.485,0.456,0.406", OnnxMetadata.read(model).get(OnnxMetadata.MEAN));

        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph same = Architectures.build(spec, 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray expected = same.output(java.util.List.of("pool5"), false, new INDArray[] {x}, null)[0].mean(2, 3);
        INDArray actual = OnnxImporter.importGraph(file).output(x)[0];
        assertTrue(Engines.relativeError(actual, expected) < 1e-5, "the file computes the seeded graph's codes");
    }

    @Test
    void modelZipExportsWithItsAdapterOrInputShape() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph graph = Architectures.build(spec, 9);
        Path zip = dir.resolve("run").resolve("model.zip");
        Files.createDirectories(zip.getParent());
        ModelSerializer.writeModel(graph, zip.toFile(), false);
        Path file = dir.resolve("model.onnx");

        Run noShape = run("export", "--model", zip.toString(), "--out", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, noShape.exit());
        assertTrue(noShape.err().contains("--adapter") && noShape.err().contains(zip.toString()), noShape.err());
        assertFalse(Files.exists(file));

        assertEquals(ExitCodes.OK, run("export", "--model", zip.toString(), "--adapter", "resnet50-small", "--out",
                file.toString(), "--quiet").exit());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertTrue(Engines.relativeError(OnnxImporter.importGraph(file).output(x)[0], graph.outputSingle(false, x))
                < 1e-5);
        assertEquals(ExitCodes.OK, run("export", "--model", zip.toString(), "--input-shape", "3,32,32", "--tap",
                "res4f_relu", "--out", dir.resolve("plain.onnx").toString(), "--quiet").exit());
    }

    @Test
    void trainedRunModelExportsWithItsOwnMetadata() throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph graph = HeadSurgery.apply(Architectures.build(spec, 4), spec,
                HeadSpecification.linear(3).withSeed(1)).graph();
        Path zip = dir.resolve("run1").resolve("model.zip");
        Files.createDirectories(zip.getParent());
        new TrainedModel(graph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION, spec.id(), "fine-tune",
                "avgpool", TrainedModel.InputDescription.of(spec.input()), java.util.List.of("cat", "dog", "owl"),
                HeadSurgery.CLASSIFIER)).save(zip);
        Path file = dir.resolve("trained.onnx");

        Run r = run("export", "--model", zip.toString(), "--out", file.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        Onnx.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = Onnx.ModelProto.parseFrom(in);
        }
        assertEquals("[\"cat\",\"dog\",\"owl\"]", OnnxMetadata.read(model).get("tl4j.classes"));
        assertEquals("resnet50-small", OnnxMetadata.read(model).get(OnnxMetadata.ADAPTER));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertTrue(Engines.relativeError(OnnxImporter.importGraph(file).output(x)[0], graph.outputSingle(false, x))
                < 1e-5);
    }

    @Test
    void mistakesAreOneLineErrors() {
        String out = dir.resolve("x.onnx").toString();
        Run noWeights = run("export", "--model", "alexnet-small", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, noWeights.exit());
        assertTrue(noWeights.err().contains("--untrained"), noWeights.err());
        Run badTap = run("export", "--model", "alexnet-small", "--untrained", "--tap", "nope", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, badTap.exit());
        assertTrue(badTap.err().contains("'nope'") && badTap.err().contains("fc7"), badTap.err());
        Run unknown = run("export", "--model", "no-such-model", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, unknown.exit());
    }
}
