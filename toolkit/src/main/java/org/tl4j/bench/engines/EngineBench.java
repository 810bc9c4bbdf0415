package org.tl4j.bench.engines;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.bench.MachineLoad;
import org.tl4j.runtime.NativeBuild;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.LayerHelpers;
import org.tl4j.zoo.onnx.ExportOptions;
import org.tl4j.zoo.onnx.OnnxExporter;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Times the same networks in tl4j, PyTorch and ONNX Runtime, interleaved: for each network, every round runs every
 * cell (workload x batch) in every engine before the next round starts, with the engines' order rotating from
 * round to round, so that load from other processes, which drifts over minutes, hits all engines alike. The
 * machine's fp32 GEMM peak (ND4J mmul and torch.mm) is measured in the same run.
 */
public final class EngineBench {

    /** What to run; see {@code tl4j bench engines --help} for each field's meaning. */
    public record Options(List<String> models, int size, int trainBatch, int headBatch, List<Integer> inferBatches,
                          List<Workload> workloads, List<String> engines, List<Tl4jVariant> tl4jVariants,
                          int rounds, int warmup, int steps, int threads, int gemmSize, long seed, Path workFolder) {
        public Options {
            models = List.copyOf(models);
            inferBatches = List.copyOf(inferBatches);
            workloads = List.copyOf(workloads);
            engines = List.copyOf(engines);
            tl4jVariants = List.copyOf(tl4jVariants);
        }
    }

    /** Model name (torchvision's) to the tl4j adapter of the same network. */
    static final Map<String, String> ADAPTERS = Map.of("resnet50", "resnet50-torchvision.imagenet",
            "googlenet", "googlenet-torchvision.imagenet", "alexnet", "alexnet-torchvision.imagenet");

    private final Options options;
    private final PrintStream log;

    public EngineBench(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Runs everything and returns the raw results; {@link EngineReport} summarises them. */
    public EngineReport run() throws IOException {
        Files.createDirectories(options.workFolder());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("loadavg_start", loadavg());
        facts.put("threads", options.threads());
        facts.put("omp_wait_policy", System.getenv().getOrDefault("OMP_WAIT_POLICY", "default"));
        boolean oneDnn = LayerHelpers.oneDnnLoaded(); // starts ND4J, which NativeBuild needs
        facts.put("nd4j_native_build", NativeBuild.detect() + " (" + NativeBuild.compiledFeatures() + ")");
        facts.put("dl4j_layer_helpers", LayerHelpers.allowed() && oneDnn ? "oneDNN" : "off");
        List<BenchEngine> engines = new ArrayList<>();
        TorchEngine torch = null;
        List<EngineReport.Sample> samples = new ArrayList<>();
        Map<String, ModelUnderTest> models = new LinkedHashMap<>();
        try {
            for (String engine : options.engines()) {
                switch (engine) {
                    case "tl4j" -> options.tl4jVariants().forEach(v -> engines.add(new Tl4jEngine(v)));
                    case "pytorch" -> {
                        torch = new TorchEngine(options.threads(), options.seed(), options.workFolder());
                        facts.put("pytorch", torch.facts().toString());
                        engines.add(torch);
                    }
                    case "onnxruntime" -> engines.add(new OrtEngine(options.threads()));
                    default -> throw new IllegalArgumentException("unknown engine '" + engine
                            + "'; choose from tl4j, pytorch, onnxruntime");
                }
            }
            facts.put("nd4j_mmul_gflops", nd4jGemm(options.gemmSize(), 3));
            if (torch != null) {
                facts.put("torch_mm_gflops", torch.gemmGflops(options.gemmSize(), 3));
            }
            log.printf("GEMM %d^3 fp32: %s GFLOP/s (load %s)%n", options.gemmSize(), facts, loadavg());
            for (String name : options.models()) {
                ModelUnderTest model = model(name);
                models.put(name, model);
                for (BenchEngine engine : engines) {
                    log.printf("%s: preparing %s%n", name, engine.name());
                    try {
                        engine.prepare(model);
                    } catch (Exception e) {
                        throw new IOException(engine.name() + " cannot prepare " + name + ": " + e.getMessage(), e);
                    }
                }
                runModel(model, engines, samples);
                engines.forEach(e -> e.release(name));
                // Results so far, so that a long run cut short still leaves its finished networks behind.
                new EngineReport(facts, models, samples).write(options.workFolder());
            }
            facts.put("nd4j_mmul_gflops_end", nd4jGemm(options.gemmSize(), 3));
            if (torch != null) {
                facts.put("torch_mm_gflops_end", torch.gemmGflops(options.gemmSize(), 3));
            }
        } finally {
            engines.forEach(BenchEngine::close);
        }
        facts.put("loadavg_end", loadavg());
        return new EngineReport(facts, models, samples);
    }

    private void runModel(ModelUnderTest model, List<BenchEngine> engines, List<EngineReport.Sample> samples)
            throws IOException {
        List<Cell> cells = new ArrayList<>();
        for (Workload w : options.workloads()) {
            switch (w) {
                case TRAIN_ALL -> cells.add(new Cell(model.name(), w, options.trainBatch()));
                case TRAIN_HEAD -> cells.add(new Cell(model.name(), w, options.headBatch()));
                case INFER -> options.inferBatches().forEach(b -> cells.add(new Cell(model.name(), w, b)));
            }
        }
        Set<String> warmed = new HashSet<>();
        for (int round = 0; round < options.rounds(); round++) {
            for (Cell cell : cells) {
                for (int k = 0; k < engines.size(); k++) {
                    BenchEngine engine = engines.get((k + round) % engines.size());
                    if (!engine.supports(cell.workload())) {
                        continue;
                    }
                    // Warm up once per engine and cell (JIT, workspaces, allocator); later rounds start warm.
                    int warmup = warmed.add(engine.name() + " " + cell) ? options.warmup() : 0;
                    MachineLoad start = MachineLoad.sample();
                    Timing timing;
                    try {
                        timing = engine.time(cell, warmup, options.steps());
                    } catch (Exception e) {
                        throw new IOException(engine.name() + " failed on " + cell + ": " + e.getMessage(), e);
                    }
                    MachineLoad end = MachineLoad.sample();
                    EngineReport.Sample sample = new EngineReport.Sample(cell, engine.name(), round, timing,
                            start.load1(), end.load1());
                    samples.add(sample);
                    log.printf("round %d/%d %-28s %-18s %8.2f images/s  peak RSS %6.0f MiB  load %.2f%n",
                            round + 1, options.rounds(), cell, engine.name(), timing.imagesPerSecond(cell.batch()),
                            timing.peakRssMb(), end.load1());
                }
            }
        }
    }

    /** The adapter's network at the benchmark's image size, and its ONNX export for ONNX Runtime. */
    private ModelUnderTest model(String name) throws IOException {
        String id = ADAPTERS.get(name);
        if (id == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; choose from " + ADAPTERS.keySet());
        }
        AdapterSpec spec = resized(AdapterRegistry.builtIn().get(id), options.size());
        double gflop = 2.0 * Architectures.cost(spec).multiplyAdds() / 1e9;
        Path onnx = options.workFolder().resolve(name + "-" + options.size() + ".onnx");
        if (options.engines().contains("onnxruntime")) {
            log.printf("%s: exporting the tl4j graph to %s%n", name, onnx);
            ComputationGraph graph = Architectures.build(spec, options.seed());
            OnnxExporter.write(graph, ExportOptions.forAdapter(spec), onnx);
        }
        return new ModelUnderTest(name, spec, options.seed(), options.size(), onnx, gflop);
    }

    /** The adapter at another input size (for --quick); taps keep their 224 px shapes, which nothing here reads. */
    static AdapterSpec resized(AdapterSpec spec, int size) {
        InputSpec in = spec.input();
        if (in.height() == size && in.width() == size) {
            return spec;
        }
        InputSpec input = new InputSpec(size, size, in.channelOrder(), in.pixelRange(), in.mean(), in.std(),
                in.resize());
        return new AdapterSpec(spec.id(), spec.description(), spec.architecture(), input, spec.head(), spec.taps(),
                spec.defaultTap(), spec.groups(), spec.weights());
    }

    /** Best GFLOP/s of ND4J's mmul on n x n fp32 matrices. */
    static double nd4jGemm(int n, int reps) {
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        a.mmuli(b, c);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            a.mmuli(b, c);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * (double) n * n / best / 1e9;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
