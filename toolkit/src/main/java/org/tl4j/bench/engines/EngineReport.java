package org.tl4j.bench.engines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tl4j.data.AtomicFiles;

/**
 * The benchmark's results: every timed sample, and per cell and engine the median images/s over rounds with its
 * spread, the peak resident memory, tl4j's ratio to each other engine (ratio of medians, both measured in the
 * same rounds) and the share of the machine's measured GEMM peak the engine reaches.
 */
public final class EngineReport {

    /** One engine's timing of one cell in one round, with the one-minute load average before and after. */
    public record Sample(Cell cell, String engine, int round, Timing timing, double load1Start, double load1End) {
    }

    /**
     * One line of the table.
     *
     * @param tl4jRatio  tl4j's median images/s over this engine's (1 on tl4j's own row; NaN without a tl4j row)
     * @param peakShare  FLOP/s reached over the machine's GEMM peak (the larger of ND4J's and torch's)
     */
    public record Row(Cell cell, String engine, int rounds, double medianImagesPerSecond, double minImagesPerSecond,
                      double maxImagesPerSecond, double peakRssMb, double tl4jRatio, double peakShare,
                      double load1Median) {
    }

    private final Map<String, Object> facts;
    private final Map<String, ModelUnderTest> models;
    private final List<Sample> samples;

    EngineReport(Map<String, Object> facts, Map<String, ModelUnderTest> models, List<Sample> samples) {
        this.facts = new LinkedHashMap<>(facts);
        this.models = new LinkedHashMap<>(models);
        this.samples = List.copyOf(samples);
    }

    /** GEMM peak in GFLOP/s: the best of ND4J mmul and torch.mm measured in this run. */
    public double gemmPeak() {
        return facts.entrySet().stream().filter(e -> e.getKey().endsWith("gflops") || e.getKey().endsWith("gflops_end"))
                .mapToDouble(e -> ((Number) e.getValue()).doubleValue()).max().orElse(Double.NaN);
    }

    /** The summarised rows, cells in the order they ran, engines in the order they first ran. */
    public List<Row> rows() {
        Map<Cell, Map<String, List<Sample>>> byCell = new LinkedHashMap<>();
        for (Sample s : samples) {
            byCell.computeIfAbsent(s.cell(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(s.engine(), e -> new ArrayList<>()).add(s);
        }
        double peak = gemmPeak();
        List<Row> rows = new ArrayList<>();
        for (var cell : byCell.entrySet()) {
            List<Sample> tl4j = cell.getValue().get("tl4j");
            double tl4jMedian = tl4j == null ? Double.NaN : median(ips(tl4j));
            for (var engine : cell.getValue().entrySet()) {
                List<Sample> runs = engine.getValue();
                double[] ips = ips(runs);
                double median = median(ips);
                ModelUnderTest model = models.get(cell.getKey().model());
                double gflops = model == null ? Double.NaN
                        : median * model.gflopPerImage() * cell.getKey().workload().forwardEquivalents();
                rows.add(new Row(cell.getKey(), engine.getKey(), runs.size(), median, ips[0], ips[ips.length - 1],
                        runs.stream().mapToDouble(s -> s.timing().peakRssMb()).max().orElse(-1),
                        tl4jMedian / median, gflops / peak,
                        median(runs.stream().mapToDouble(s -> (s.load1Start() + s.load1End()) / 2).sorted()
                                .toArray())));
            }
        }
        return rows;
    }

    private static double[] ips(List<Sample> runs) {
        return runs.stream().mapToDouble(s -> s.timing().imagesPerSecond(s.cell().batch())).sorted().toArray();
    }

    /** Median of sorted values (mean of the middle two for an even count). */
    static double median(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The table in markdown, with the run's facts (GEMM peak, load, threads) above it. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "GEMM peak (fp32, best of ND4J mmul and torch.mm, same run): %.0f"
                + " GFLOP/s. Facts: %s%n%n", gemmPeak(), facts));
        out.append("| network | workload | batch | engine | rounds | images/s median | min - max | peak RSS MiB"
                + " | tl4j / this | % of GEMM peak | load1 median |\n");
        out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows()) {
            ModelUnderTest m = models.get(r.cell().model());
            String network = m == null ? r.cell().model()
                    : String.format(Locale.ROOT, "%s %d px (%.2f GFLOP)", m.name(), m.size(), m.gflopPerImage());
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %d | %.2f | %.2f - %.2f | %.0f | %.3f"
                            + " | %.1f%% | %.2f |%n", network, r.cell().workload().wire(), r.cell().batch(), r.engine(),
                    r.rounds(), r.medianImagesPerSecond(), r.minImagesPerSecond(), r.maxImagesPerSecond(),
                    r.peakRssMb(), r.tl4jRatio(), 100 * r.peakShare(), r.load1Median()));
        }
        return out.toString();
    }

    /** Writes results.json (facts, rows and every sample) and results.md, each atomically. */
    public void write(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("facts", facts);
        doc.put("gemm_peak_gflops", gemmPeak());
        List<Map<String, Object>> networks = new ArrayList<>();
        models.values().forEach(m -> networks.add(Map.of("name", m.name(), "adapter", m.spec().id(), "size",
                m.size(), "gflop_per_image", m.gflopPerImage())));
        doc.put("networks", networks);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("network", r.cell().model());
            row.put("workload", r.cell().workload().wire());
            row.put("batch", r.cell().batch());
            row.put("engine", r.engine());
            row.put("rounds", r.rounds());
            row.put("images_per_s_median", r.medianImagesPerSecond());
            row.put("images_per_s_min", r.minImagesPerSecond());
            row.put("images_per_s_max", r.maxImagesPerSecond());
            row.put("peak_rss_mb", r.peakRssMb());
            row.put("tl4j_ratio", Double.isNaN(r.tl4jRatio()) ? null : r.tl4jRatio());
            row.put("gemm_peak_share", Double.isNaN(r.peakShare()) ? null : r.peakShare());
            row.put("load1_median", r.load1Median());
            rows.add(row);
        }
        doc.put("rows", rows);
        List<Map<String, Object>> raw = new ArrayList<>();
        for (Sample s : samples) {
            raw.add(Map.of("network", s.cell().model(), "workload", s.cell().workload().wire(), "batch",
                    s.cell().batch(), "engine", s.engine(), "round", s.round(), "seconds", s.timing().seconds(),
                    "peak_rss_mb", s.timing().peakRssMb(), "load1_start", s.load1Start(), "load1_end",
                    s.load1End()));
        }
        doc.put("samples", raw);
        AtomicFiles.write(folder.resolve("results.json"), out -> json.writeValue(out, doc));
        byte[] md = markdown().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve("results.md"), out -> out.write(md));
    }

    @Override
    public String toString() {
        return "EngineReport" + Arrays.asList(facts.keySet().toArray());
    }
}
