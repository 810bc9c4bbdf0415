package org.tl4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.data.FileTrees;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.infer.EngineChoice;
import org.tl4j.infer.Engines;
import org.tl4j.infer.InferenceCodeEngine;
import org.tl4j.infer.InferenceEngine;
import org.tl4j.infer.InferenceModel;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * The whole codes pipeline from JPEG files on disk against the forward pass alone, on tl4j's ONNX Runtime engine:
 * (a) the engine on input tensors decoded beforehand and held in memory, (b) {@link CnnCodes#extract} as
 * {@code extract} runs it (the image iterator's background decoding, resize/crop and normalisation, the engine,
 * pooling, the codes cache file written and read back), into a fresh cache folder each round so nothing is reused.
 * The two take turns within each round, their order swapping from round to round; every side records the
 * one-minute load average and how many cores other processes kept busy.
 */
public final class PipelineBench {

    /** What to measure. */
    public record Settings(int batch, int rounds, int threads) {
        public Settings {
            if (batch < 1 || rounds < 1 || threads < 1) {
                throw new IllegalArgumentException("batch, rounds and threads must be positive");
            }
        }
    }

    /** One timed side of one round. */
    public record Sample(String path, int round, int images, double seconds, double load1, double othersCores) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /** The samples and their summary. */
    public record Result(String model, String layer, int images, Settings settings, List<Sample> samples,
                         double[] roundRatios, double exportSeconds) {

        /** Median over rounds of pipeline images/s over forward-pass images/s in the same round. */
        public double ratio() {
            return CodesEngineBench.median(roundRatios);
        }

        double median(String path) {
            return CodesEngineBench.median(samples.stream().filter(s -> s.path().equals(path))
                    .mapToDouble(Sample::imagesPerSecond).toArray());
        }
    }

    static final String FORWARD = "forward-only";
    static final String PIPELINE = "jpeg-pipeline";

    private final CnnCodes codes;
    private final Manifest manifest;
    private final List<Manifest.Entry> entries;
    private final Settings settings;
    private final Path onnxCache;
    private final Path workDir;

    /**
     * @param codes     the extractor (its graph, tap and adapter input); its engine is set here to ONNX Runtime
     * @param entries   the JPEGs both sides process (the forward side on their decoded tensors)
     * @param onnxCache where the graph's ONNX export is kept
     * @param workDir   scratch folder for the codes cache files of the pipeline side
     */
    public PipelineBench(CnnCodes codes, Manifest manifest, List<Manifest.Entry> entries, Settings settings,
                         Path onnxCache, Path workDir) {
        this.codes = codes;
        this.manifest = manifest;
        this.entries = List.copyOf(entries);
        this.settings = settings;
        this.onnxCache = onnxCache;
        this.workDir = workDir;
    }

    /** Runs the rounds, printing progress and the summary. */
    public Result run(PrintWriter out) throws IOException {
        AdapterSpec spec = codes.spec();
        String layer = codes.layer();
        long[] chw = {spec.input().channels(), spec.input().height(), spec.input().width()};
        long t0 = System.nanoTime();
        InferenceModel model = InferenceModel.ofGraph(spec.id(), codes.graph(), chw, layer, false);
        try (InferenceEngine engine = Engines.open(EngineChoice.ONNXRUNTIME, model, null, new OnnxFiles(onnxCache),
                settings.threads()).engine()) {
            double exportSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "engine: %s on the ONNX export of %s at %s (export or cache hit in %.1f s)%n",
                    engine.name(), spec.id(), layer, exportSeconds);
            codes.engine(new InferenceCodeEngine(engine, layer, codes.weightsSha256())).batchSize(settings.batch())
                    .progress(false);
            // The forward side's input: the same images, decoded and prepared once, held in memory.
            List<INDArray> tensors = new ArrayList<>();
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries, spec.input(),
                    settings.batch())) {
                images.forEachRemaining((DataSet ds) -> tensors.add(ds.getFeatures()));
            }
            out.println("warm-up: one forward batch and one pipeline pass");
            engine.run(tensors.get(0)).close();
            extractInto(workDir.resolve("warm-up"));

            List<Sample> samples = new ArrayList<>();
            double[] ratios = new double[settings.rounds()];
            for (int round = 0; round < settings.rounds(); round++) {
                Map<String, Sample> byPath = new LinkedHashMap<>();
                List<String> order = round % 2 == 0 ? List.of(FORWARD, PIPELINE) : List.of(PIPELINE, FORWARD);
                for (String path : order) {
                    Path cache = workDir.resolve("round-" + round);
                    MachineLoad before = MachineLoad.sample();
                    if (path.equals(FORWARD)) {
                        for (INDArray batch : tensors) {
                            engine.run(batch).close();
                        }
                    } else {
                        extractInto(cache);
                    }
                    MachineLoad after = MachineLoad.sample();
                    FileTrees.delete(cache);
                    Sample s = new Sample(path, round, entries.size(), after.wallSecondsSince(before),
                            (before.load1() + after.load1()) / 2, after.othersCoresSince(before));
                    byPath.put(path, s);
                    samples.add(s);
                }
                ratios[round] = byPath.get(PIPELINE).imagesPerSecond() / byPath.get(FORWARD).imagesPerSecond();
                out.printf(Locale.ROOT, "round %d/%d: forward %.2f images/s, pipeline %.2f images/s, ratio %.3f;"
                                + " load1 %.2f, other processes %.2f cores%n", round + 1, settings.rounds(),
                        byPath.get(FORWARD).imagesPerSecond(), byPath.get(PIPELINE).imagesPerSecond(), ratios[round],
                        byPath.get(PIPELINE).load1(), byPath.get(PIPELINE).othersCores());
            }
            Result result = new Result(spec.id(), layer, entries.size(), settings, samples, ratios, exportSeconds);
            out.print(markdown(result));
            return result;
        }
    }

    private void extractInto(Path cache) throws IOException {
        Codes c = codes.cacheFolder(cache).extract(manifest, entries);
        if (c.rows() != entries.size()) {
            throw new IllegalStateException("the pipeline gave " + c.rows() + " codes for " + entries.size()
                    + " images");
        }
        FileTrees.delete(cache);
    }

    /** The summary table (markdown), one row per path, then the ratio. */
    public static String markdown(Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%s codes at %s, %d JPEGs, batch %d, ONNX Runtime with %d intra-op"
                        + " threads, %d rounds%n%n", r.model(), r.layer(), r.images(), r.settings().batch(),
                r.settings().threads(), r.settings().rounds()));
        s.append("| path | images/s median | min - max | load1 median | other procs' cores median |\n");
        s.append("|---|---:|---:|---:|---:|\n");
        for (String path : List.of(FORWARD, PIPELINE)) {
            double[] ips = r.samples().stream().filter(x -> x.path().equals(path))
                    .mapToDouble(Sample::imagesPerSecond).sorted().toArray();
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f - %.2f | %.2f | %.2f |%n", path,
                    CodesEngineBench.median(ips), ips[0], ips[ips.length - 1],
                    CodesEngineBench.median(r.samples().stream().filter(x -> x.path().equals(path))
                            .mapToDouble(Sample::load1).toArray()),
                    CodesEngineBench.median(r.samples().stream().filter(x -> x.path().equals(path))
                            .mapToDouble(Sample::othersCores).toArray())));
        }
        double[] sorted = r.roundRatios().clone();
        Arrays.sort(sorted);
        s.append(String.format(Locale.ROOT, "%npipeline / forward-only: %.3f (median of per-round ratios, %.3f -"
                + " %.3f; target >= 0.8)%n", r.ratio(), sorted[0], sorted[sorted.length - 1]));
        return s.toString();
    }

    /** results.json and results.md in {@code folder}. */
    public static void write(Result r, Path folder) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "pipeline");
        doc.put("model", r.model());
        doc.put("layer", r.layer());
        doc.put("images", r.images());
        doc.put("batch", r.settings().batch());
        doc.put("threads", r.settings().threads());
        doc.put("rounds", r.settings().rounds());
        doc.put("export_seconds", r.exportSeconds());
        doc.put("forward_images_per_second_median", r.median(FORWARD));
        doc.put("pipeline_images_per_second_median", r.median(PIPELINE));
        doc.put("ratio_median", r.ratio());
        doc.put("round_ratios", r.roundRatios());
        List<Map<String, Object>> raw = new ArrayList<>();
        for (Sample x : r.samples()) {
            raw.add(Map.of("path", x.path(), "round", x.round(), "images", x.images(), "seconds", x.seconds(),
                    "load1", x.load1(), "other_cores", x.othersCores()));
        }
        doc.put("samples", raw);
        ResultFiles.write(folder, doc, markdown(r));
    }
}
