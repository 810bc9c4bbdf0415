package org.tl4j.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tl4j.zoo.spec.AdapterSpec;

/** Graphs whose batch normalisation does real work, seeded inputs, and ONNX's checker. */
final class InferFixtures {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private InferFixtures() {
    }

    /** Running statistics, scales and shifts away from their initial 0/1. */
    static void randomiseStatistics(ComputationGraph graph, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            Map<String, INDArray> p = layer.paramTable();
            if (!p.containsKey("mean")) {
                continue;
            }
            INDArray mean = p.get("mean");
            mean.assign(Nd4j.rand(mean.dataType(), mean.shape()).subi(0.5).muli(0.2));
            INDArray var = Nd4j.rand(mean.dataType(), mean.shape()).addi(0.5);
            if (p.containsKey("var")) {
                p.get("var").assign(var);
            } else {
                p.get("log10stdev").assign(Transforms.log(Transforms.sqrt(var), 10.0));
            }
            if (p.containsKey("gamma")) {
                p.get("gamma").assign(Nd4j.rand(mean.dataType(), p.get("gamma").shape()).addi(0.5));
                p.get("beta").assign(Nd4j.rand(mean.dataType(), p.get("beta").shape()).subi(0.5).muli(0.2));
            }
        }
    }

    static INDArray input(AdapterSpec spec, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, batch, spec.input().channels(), spec.input().height(), spec.input().width());
    }

    static long[] chw(AdapterSpec spec) {
        return new long[] {spec.input().channels(), spec.input().height(), spec.input().width()};
    }

    /** onnx.checker.check_model(full_check=True) on each file, when Debian's python3-onnx is there. */
    static void check(List<Path> files) throws IOException, InterruptedException {
        boolean ok = Files.isExecutable(PYTHON);
        if (ok) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx.checker")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(ok, PYTHON + " cannot import onnx: apt-get install python3-onnx");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c",
                "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)"));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("onnx.checker rejected " + files + ":\n" + out);
        }
    }
}
