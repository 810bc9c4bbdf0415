package org.tl4j.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.bench.engines.EngineBench;
import org.tl4j.bench.engines.EngineReport;
import org.tl4j.bench.engines.Tl4jVariant;
import org.tl4j.bench.engines.Workload;
import org.tl4j.data.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl4j bench engines}: tl4j against PyTorch and ONNX Runtime on the same networks, interleaved. */
@Command(name = "engines",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Time ResNet-50, GoogLeNet and AlexNet (torchvision variants, random weights) in tl4j (DL4J),"
                + " PyTorch (/usr/bin/python3, Debian python3-torch) and ONNX Runtime Java (the ONNX export of"
                + " tl4j's graph): a training step of all layers, a head-only step, inference. Rounds are"
                + " interleaved; prints images/s (median and spread), peak RSS, tl4j's ratio to each engine and"
                + " the share of the GEMM peak measured in the same run; writes results.json and results.md.",
                "Set OMP_WAIT_POLICY=PASSIVE on a shared machine (spinning OpenMP threads steal each other's"
                        + " cores); recipes/perf-bench.sh does."})
final class BenchEnginesCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Option(names = "--models", split = ",", description = "Networks: resnet50, googlenet, alexnet.")
    List<String> models = List.of("resnet50", "googlenet", "alexnet");

    @Option(names = "--engines", split = ",", description = "Engines: tl4j, pytorch, onnxruntime.")
    List<String> engines = List.of("tl4j", "pytorch", "onnxruntime");

    @Option(names = "--tl4j-variants", split = ",", description = "tl4j variants timed as extra engines (levers): "
            + Tl4jVariant.NAMES + ".")
    List<String> variants = List.of("default");

    @Option(names = "--workloads", split = ",", description = "train_all, train_head, infer.")
    List<String> workloads = List.of("train_all", "train_head", "infer");

    @Option(names = "--size", description = "Image size in pixels.")
    int size = 224;

    @Option(names = "--train-batch", description = "Batch of the all-layers training step.")
    int trainBatch = 16;

    @Option(names = "--head-batch", description = "Batch of the head-only training step.")
    int headBatch = 16;

    @Option(names = "--infer-batches", split = ",", description = "Inference batches.")
    List<Integer> inferBatches = List.of(1, 8, 32);

    @Option(names = "--rounds", description = "Interleaved rounds (medians and spreads are over rounds).")
    int rounds = 3;

    @Option(names = "--steps", description = "Timed steps per cell and round.")
    int steps = 2;

    @Option(names = "--warmup", description = "Untimed steps before a cell's first round.")
    int warmup = 1;

    @Option(names = "--threads", description = "Threads for PyTorch and ONNX Runtime; ND4J takes OMP_NUM_THREADS"
            + " from the environment when it loads (recipes/perf-bench.sh sets both).")
    int threads = 2;

    @Option(names = "--gemm-size", description = "n of the n x n x n fp32 GEMM that measures the machine's peak.")
    int gemmSize = 2048;

    @Option(names = "--seed", description = "Seed of weights and inputs.")
    long seed = 42;

    @Option(names = "--quick", description = "Smoke test in well under a minute: ResNet-50 at 32 px, one round,"
            + " batches 2 (training) and 1,2 (inference), a 512 GEMM. Figures are not comparable to full runs.")
    boolean quick;

    @Option(names = "--out", description = "Folder for results.json, results.md and the ONNX exports"
            + " (default: runs/bench-engines/<time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (quick) {
            models = List.of("resnet50");
            size = 32;
            trainBatch = 2;
            headBatch = 2;
            inferBatches = List.of(1, 2);
            rounds = 1;
            steps = 1;
            gemmSize = 512;
        }
        if (rounds < 1 || steps < 1 || warmup < 0 || trainBatch < 1 || headBatch < 1 || size < 32) {
            throw new InvalidInputException("--rounds and --steps need at least 1, --warmup at least 0, batches at"
                    + " least 1 and --size at least 32 px");
        }
        Path folder = out != null ? out
                : Path.of("runs", "bench-engines", Instant.now().toString().replace(":", "").replaceAll("\\..*", ""));
        List<Workload> chosen;
        List<Tl4jVariant> tl4jVariants;
        try {
            chosen = workloads.stream().map(w -> Workload.valueOf(w.trim().toUpperCase(Locale.ROOT))).toList();
            tl4jVariants = variants.stream().map(Tl4jVariant::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("bad --workloads or --tl4j-variants (" + e.getMessage() + "): workloads"
                    + " are train_all, train_head, infer; variants are " + Tl4jVariant.NAMES);
        }
        for (String m : models) {
            if (!List.of("resnet50", "googlenet", "alexnet").contains(m)) {
                throw new InvalidInputException("unknown --models entry '" + m + "'; choose from resnet50,"
                        + " googlenet, alexnet");
            }
        }
        for (String e : engines) {
            if (!List.of("tl4j", "pytorch", "onnxruntime").contains(e)) {
                throw new InvalidInputException("unknown --engines entry '" + e + "'; choose from tl4j, pytorch,"
                        + " onnxruntime");
            }
        }
        EngineBench.Options options = new EngineBench.Options(models, size, trainBatch, headBatch, inferBatches,
                chosen, engines, tl4jVariants, rounds, warmup, steps, threads, gemmSize, seed, folder);
        EngineReport report = new EngineBench(options, System.err).run();
        report.write(folder);
        System.out.print(report.markdown());
        System.out.println("results: " + folder.resolve("results.json") + ", " + folder.resolve("results.md"));
        return ExitCodes.OK;
    }
}
