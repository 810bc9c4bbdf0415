package org.tl4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.runtime.NativeBuild;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times DL4J workloads on whichever nd4j-native build this JVM loaded and prints one {@link BenchResult} line per
 * workload. recipes/bench-native-builds.sh starts it once per build and round, with the build's class path,
 * and {@link BenchTable} summarises the lines. Threads and the OpenMP wait policy come from the environment
 * ({@code OMP_NUM_THREADS}, {@code OMP_WAIT_POLICY}) because libgomp reads them when the library loads.
 */
@Command(name = "native-build-bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Time ResNet-50 inference, a small CNN's training step and libnd4j's conv2d op on the loaded"
                + " nd4j-native build; print one BENCH line per workload.")
public final class NativeBuildBench implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--workloads", split = ",", description = "Any of: resnet50-infer, resnet50-paper-infer"
            + " (the zoo network with the paper's strides), lenet-train, conv2d-op.")
    private List<String> workloads = List.of("resnet50-infer", "lenet-train", "conv2d-op");

    @Option(names = "--resnet-batch", description = "Batch of the ResNet-50 inference workloads.")
    private int resnetBatch = 8;

    @Option(names = "--lenet-batch", description = "Batch of the LeNet training step (28x28x1 images).")
    private int lenetBatch = 64;

    @Option(names = "--conv-batch", description = "Batch of the conv2d op (64x56x56 inputs).")
    private int convBatch = 8;

    @Option(names = "--min-steps", description = "Time at least this many steps per workload.")
    private int minSteps = 3;

    @Option(names = "--min-seconds", description = "Keep timing steps until this much time has passed.")
    private double minSeconds = 8;

    @Option(names = "--max-steps",
            description = "Stop after this many timed steps even if --min-seconds is not reached.")
    private int maxSteps = 200;

    @Option(names = "--seed", description = "Seed of the random weights and inputs.")
    private long seed = 42;

    @Option(names = "--expect-build", description = "Fail unless JavaCPP loaded this nd4j-native build, e.g."
            + " linux-x86_64-onednn-avx512 (guards against timing the generic build by mistake).")
    private String expectBuild;

    public static void main(String[] args) {
        System.exit(new CommandLine(new NativeBuildBench()).execute(args));
    }

    @Override
    public Integer call() {
        List<Workload> chosen = workloads.stream().map(this::workload).toList();
        Nd4j.create(1); // load the native library before asking which one it is
        String build = NativeBuild.detect();
        if (expectBuild != null && !expectBuild.equals(build)) {
            throw new IllegalStateException("JavaCPP loaded nd4j-native " + build + ", not " + expectBuild
                    + "; put nd4j-native-1.0.0-M2.1-" + expectBuild + ".jar on the class path and pass"
                    + " -Dorg.bytedeco.javacpp.platform.extension=" + expectBuild.replaceFirst("^linux-x86_64", ""));
        }
        boolean oneDnn = NativeBuild.hasOneDnn();
        int threads = Integer.parseInt(String.valueOf(
                Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("omp.threads", "0")));
        String wait = System.getenv().getOrDefault("OMP_WAIT_POLICY", "default");
        for (Workload w : chosen) {
            BenchResult result = time(w, build, oneDnn, threads, wait);
            System.out.println(result.toLine());
            System.out.flush();
        }
        return 0;
    }

    private Workload workload(String name) {
        return switch (name) {
            case "resnet50-infer" -> new ResNet50Inference(resnetBatch, false);
            case "resnet50-paper-infer" -> new ResNet50Inference(resnetBatch, true);
            case "lenet-train" -> new SmallCnnTraining(lenetBatch);
            case "conv2d-op" -> new Conv2dOp(convBatch);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown workload '" + name
                    + "'; choose from resnet50-infer, resnet50-paper-infer, lenet-train, conv2d-op");
        };
    }

    private BenchResult time(Workload w, String build, boolean oneDnn, int threads, String wait) {
        System.err.printf("%s: preparing (batch %d)%n", w.name(), w.batch());
        w.prepare(seed);
        for (int i = 0; i < w.warmupSteps(); i++) {
            w.step();
        }
        List<Double> millis = new ArrayList<>();
        MachineLoad start = MachineLoad.sample();
        long begin = System.nanoTime();
        while (millis.size() < maxSteps
                && (millis.size() < minSteps || (System.nanoTime() - begin) / 1e9 < minSeconds)) {
            long t0 = System.nanoTime();
            w.step();
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        MachineLoad end = MachineLoad.sample();
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.err.printf("%s: %d steps in %.1f s%n", w.name(), sorted.length, (System.nanoTime() - begin) / 1e9);
        return new BenchResult(build, oneDnn, w.name(), w.batch(), threads, wait, sorted.length, median(sorted),
                sorted[0], sorted[sorted.length - 1], start.load1(), end.load1(), end.othersCoresSince(start),
                end.ownCoresSince(start), end.wallSecondsSince(start), end.ownCpuSecondsSince(start));
    }

    /** Median of sorted values (mean of the middle two for an even count). */
    static double median(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    @Override
    public String toString() {
        return "NativeBuildBench" + Arrays.asList(workloads);
    }
}
