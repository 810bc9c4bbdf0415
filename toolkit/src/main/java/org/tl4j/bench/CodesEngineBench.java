package org.tl4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.infer.Engines;
import org.tl4j.infer.InferenceEngine;
import org.tl4j.infer.InferenceModel;
import org.tl4j.infer.Nd4jEngine;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.infer.OnnxRuntimeEngine;

/**
 * Times CNN codes for one batch through three paths on the same model: tl4j's {@link OnnxRuntimeEngine}
 * (INDArray in, INDArray out), ONNX Runtime called directly on the same file
 * with the same session settings ({@link OnnxRuntimeEngine#options}; a float buffer in, a float array out: what
 * any Java program would write), and DL4J ({@link Nd4jEngine}).
 * The paths take turns within each round, their order rotating from round to round, so a change in the machine's
 * load falls on all of them; every timed step records the one-minute load average.
 */
public final class CodesEngineBench {

    /** One timed step. */
    public record Sample(String engine, int round, double ms, double load1) {
    }

    /** What to measure. */
    public record Settings(int batch, int rounds, int stepsPerRound, int nd4jStepsPerRound, int threads,
                           boolean withNd4j, long seed) {
    }

    private final InferenceModel model;
    private final Settings settings;
    private final Path cacheDir;

    public CodesEngineBench(InferenceModel model, Settings settings, Path cacheDir) {
        this.model = model;
        this.settings = settings;
        this.cacheDir = cacheDir;
    }

    /** Runs the benchmark, printing progress and the summary; returns every sample. */
    public List<Sample> run(PrintWriter out) throws IOException, OrtException {
        long[] s = model.inputShape();
        Nd4j.getRandom().setSeed(settings.seed());
        INDArray batch = Nd4j.rand(DataType.FLOAT, settings.batch(), s[0], s[1], s[2]);
        float[] raw = batch.dup('c').data().asFloat();
        long[] shape = batch.shape();

        long t0 = System.nanoTime();
        Path file = new OnnxFiles(cacheDir).fileFor(model);
        out.printf(Locale.ROOT, "ONNX file: %s (%.1f MB, export or cache hit in %.1f s)%n", file,
                Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Step> steps = new LinkedHashMap<>();
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine(file, null, settings.threads());
             OrtSession direct = env.createSession(file.toString(), OnnxRuntimeEngine.options(settings.threads()));
             InferenceEngine nd4j = new Nd4jEngine(model)) {
            String input = direct.getInputNames().iterator().next();
            String output = direct.getOutputNames().iterator().next();
            steps.put("tl4j-onnxruntime", () -> engine.run(batch));
            steps.put("onnxruntime-direct", () -> {
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw), shape);
                     OrtSession.Result r = direct.run(Map.of(input, in), Set.of(output))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] codes = new float[fb.remaining()];
                    fb.get(codes);
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (settings.withNd4j()) {
                steps.put("nd4j", () -> nd4j.run(batch));
                double parity = Engines.relativeError(engine.run(batch), nd4j.run(batch));
                out.printf(Locale.ROOT, "parity onnxruntime vs nd4j on this batch: %.2g relative error%n", parity);
            }
            out.println("warm-up: one step each");
            for (Step step : steps.values()) {
                step.run();
            }
            List<Sample> samples = new ArrayList<>();
            List<String> names = new ArrayList<>(steps.keySet());
            for (int round = 0; round < settings.rounds(); round++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((k + round) % names.size());
                    int n = name.equals("nd4j") ? settings.nd4jStepsPerRound() : settings.stepsPerRound();
                    for (int i = 0; i < n; i++) {
                        double load = MachineLoad.sample().load1();
                        long start = System.nanoTime();
                        steps.get(name).run();
                        samples.add(new Sample(name, round, (System.nanoTime() - start) / 1e6, load));
                    }
                }
                out.printf(Locale.ROOT, "round %d/%d done, /proc/loadavg: %s%n", round + 1, settings.rounds(),
                        loadavg());
            }
            summarise(samples, out);
            return samples;
        }
    }

    private void summarise(List<Sample> samples, PrintWriter out) {
        out.printf(Locale.ROOT, "%n%s, batch %d, %d intra-op threads; %d rounds; images/s from step times%n",
                model.name(), settings.batch(), settings.threads(), settings.rounds());
        out.printf(Locale.ROOT, "%-20s %8s %18s %7s %12s%n", "engine", "img/s", "spread (min-max)", "steps",
                "load1 median");
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String engine : samples.stream().map(Sample::engine).distinct().toList()) {
            double[] ms = samples.stream().filter(x -> x.engine().equals(engine)).mapToDouble(Sample::ms).toArray();
            double[] load = samples.stream().filter(x -> x.engine().equals(engine)).mapToDouble(Sample::load1)
                    .toArray();
            double med = median(ms);
            medians.put(engine, med);
            out.printf(Locale.ROOT, "%-20s %8.2f %8.2f - %-7.2f %7d %12.2f%n", engine, ips(med),
                    ips(Arrays.stream(ms).max().orElseThrow()), ips(Arrays.stream(ms).min().orElseThrow()), ms.length,
                    median(load));
        }
        double ratio = medians.get("onnxruntime-direct") / medians.get("tl4j-onnxruntime");
        double[] paired = pairedRatios(samples, "tl4j-onnxruntime", "onnxruntime-direct");
        out.printf(Locale.ROOT, "tl4j-onnxruntime / onnxruntime-direct: %.3f of medians; per round %.3f median,"
                        + " %.3f - %.3f (target >= 0.9)%n", ratio, median(paired),
                Arrays.stream(paired).min().orElseThrow(), Arrays.stream(paired).max().orElseThrow());
        if (medians.containsKey("nd4j")) {
            out.printf(Locale.ROOT, "tl4j-onnxruntime / nd4j: %.1fx%n", medians.get("nd4j")
                    / medians.get("tl4j-onnxruntime"));
        }
        out.printf(Locale.ROOT, "/proc/loadavg at the end: %s (2 cores; other users' work counts too)%n", loadavg());
    }

    private double ips(double ms) {
        return settings.batch() * 1000.0 / ms;
    }

    /**
     * Speed of {@code engine} relative to {@code reference} within each round (ratio of their median step times
     * there): the two ran back to back, so a round's ratio sees much the same machine load on both sides.
     */
    static double[] pairedRatios(List<Sample> samples, String engine, String reference) {
        int rounds = samples.stream().mapToInt(Sample::round).max().orElse(-1) + 1;
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int round = r;
            double e = median(samples.stream().filter(x -> x.round() == round && x.engine().equals(engine))
                    .mapToDouble(Sample::ms).toArray());
            double ref = median(samples.stream().filter(x -> x.round() == round && x.engine().equals(reference))
                    .mapToDouble(Sample::ms).toArray());
            ratios[r] = ref / e;
        }
        return ratios;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    /** One step of one engine. */
    private interface Step {
        void run();
    }
}
