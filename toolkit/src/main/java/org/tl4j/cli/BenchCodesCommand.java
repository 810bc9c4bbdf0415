package org.tl4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.tl4j.bench.CodesEngineBench;
import org.tl4j.data.InvalidInputException;
import org.tl4j.infer.InferenceModel;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.infer.OnnxRuntimeEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j bench codes}: CNN codes through tl4j's ONNX Runtime engine, ONNX Runtime directly, and DL4J. */
@Command(name = "codes",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Images/s of CNN codes (seeded random weights) through tl4j's ONNX Runtime engine, ONNX Runtime"
                + " called directly on the same file, and DL4J, interleaved over rounds, with the machine's load.")
final class BenchCodesCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Adapter id; its architecture is built with seeded"
            + " random weights.")
    String model = "resnet50.imagenet";

    @Option(names = "--tap", paramLabel = "NAME", description = "Tap or layer whose output are the codes (default:"
            + " the adapter's default tap).")
    String tap;

    @Option(names = "--pool", description = "Average the tap's feature map over height and width.")
    boolean pool;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = 8;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds; every engine runs in each.")
    int rounds = 5;

    @Option(names = "--steps", paramLabel = "N", description = "Timed batches per ONNX Runtime engine per round.")
    int steps = 3;

    @Option(names = "--nd4j-steps", paramLabel = "N", description = "Timed batches of DL4J per round (0: skip DL4J).")
    int nd4jSteps = 1;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime intra-op threads (default: cores).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights and the input batch.")
    long seed = 42;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where the exported ONNX file is kept (default:"
            + " tl4j's ONNX cache).")
    Path cache;

    @Override
    public Integer call() throws Exception {
        if (batch <= 0 || rounds <= 0 || steps <= 0 || nd4jSteps < 0) {
            throw new InvalidInputException("--batch, --rounds and --steps must be positive and --nd4j-steps not"
                    + " negative");
        }
        int n = threads == null ? OnnxRuntimeEngine.defaultThreads() : threads;
        if (n <= 0) {
            throw new InvalidInputException("--threads must be positive, got " + n);
        }
        ModelArgument m = ModelArgument.resolve(model, null, null, true, seed, null);
        String layer = m.layerFor(tap == null ? m.adapter().defaultTap() : tap);
        InferenceModel inference = InferenceModel.ofGraph(m.label(), m.graph(), m.inputShape(), layer, pool);
        Path dir = cache == null ? OnnxFiles.defaultCache().dir() : cache;
        Files.createDirectories(dir);
        var out = spec.commandLine().getOut();
        out.printf("bench codes: %s codes at %s%s, batch %d, threads %d, /proc/loadavg %s%n", m.label(), layer,
                pool ? " (pooled)" : "", batch, n, Files.readString(Path.of("/proc/loadavg")).trim());
        new CodesEngineBench(inference, new CodesEngineBench.Settings(batch, rounds, steps, nd4jSteps, n, nd4jSteps > 0, seed),
                dir).run(out);
        out.flush();
        return ExitCodes.OK;
    }
}
