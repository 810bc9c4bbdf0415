package org.tl4j.bench.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.tl4j.data.AtomicFiles;

/**
 * Writes the benchmark's three outputs atomically: results.json (every cell and the summary), results.md (the
 * table a person reads) and transfer-accuracy.png (mean test accuracy per strategy per cell, XChart).
 */
public final class GridReport {

    /** The output files in the --out folder. */
    public static final String JSON_FILE = "results.json";
    public static final String MARKDOWN_FILE = "results.md";
    public static final String PLOT_FILE = "transfer-accuracy.png";
    /** Version of results.json's layout. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Everything results.json holds.
     *
     * @param format      {@link #FORMAT_VERSION}
     * @param complete    whether every planned cell has finished
     * @param cellsDone   finished cells
     * @param cellsTotal  planned cells
     * @param wallSeconds wall time of this invocation so far (cells skipped because an earlier run finished them
     *                    cost nothing here; their own times are in the cells)
     * @param grid        the grid's settings, as given
     * @param machine     cores, load averages at start and now, OMP_NUM_THREADS
     * @param cells       every finished cell, in run order
     * @param summary     the aggregation ({@link GridSummary})
     */
    public record Results(int format, boolean complete, int cellsDone, int cellsTotal, double wallSeconds,
                          Map<String, Object> grid, Map<String, Object> machine, List<CellResult> cells,
                          GridSummary summary) {
    }

    private GridReport() {
    }

    /** Writes the three files into {@code out}. */
    public static void write(Path out, Results results, List<String> strategyOrder) throws IOException {
        java.nio.file.Files.createDirectories(out);
        AtomicFiles.write(out.resolve(JSON_FILE), o -> JSON.writeValue(o, results));
        byte[] md = markdown(results, strategyOrder).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve(MARKDOWN_FILE), o -> o.write(md));
        byte[] png = plot(results.summary(), strategyOrder);
        AtomicFiles.write(out.resolve(PLOT_FILE), o -> o.write(png));
    }

    /**
     * The time the cells' runs took, whichever invocation ran them: the sum of their wall times, where an auto cell
     * that reused a fixed cell's run counts only its selector's time (its wall time less that cell's).
     */
    static double runSeconds(List<CellResult> cells) {
        double total = 0;
        for (CellResult c : cells) {
            total += c.wallSeconds();
            if (c.sameRunAs() != null) {
                total -= cells.stream().filter(f -> f.runFolder().equals(c.runFolder()) && f.sameRunAs() == null)
                        .mapToDouble(CellResult::wallSeconds).findFirst().orElse(0);
            }
        }
        return total;
    }

    /** results.md: the per-cell table, the summary lines and how every run stopped. */
    static String markdown(Results r, List<String> strategyOrder) {
        GridSummary s = r.summary();
        List<String> columns = columns(s, strategyOrder);
        StringBuilder md = new StringBuilder("# Transfer benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%s: %d of %d cells, %s of wall time in this invocation; the cells'"
                        + " own runs took %s in all (one process each, a reused run counted once). Grid: %s."
                        + " Machine: %s.%n%n", r.complete() ? "Complete" : "INCOMPLETE", r.cellsDone(),
                r.cellsTotal(), duration(r.wallSeconds()), duration(runSeconds(r.cells())), describe(r.grid()),
                describe(r.machine())));
        md.append("Test accuracy, mean ± sample sd over the seeds (one seed: the mean alone), and the mean wall time"
                + " of a run. Best: the best mean accuracy among the fixed strategies (scratch included, auto not)."
                + " Regret: best minus auto, in percentage points. Transfer − scratch: the best transfer strategy's"
                + " mean minus scratch's.\n\n");
        md.append("| source | target | size |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        boolean trials = s.groups().stream().anyMatch(g -> g.trialMean() != null);
        md.append(" best | auto chose | regret (pp) |").append(trials ? " auto-trial chose | trial regret (pp) |" : "")
                .append(" transfer − scratch (pp) |\n|---|---|---|");
        columns.forEach(c -> md.append("---|"));
        md.append("---|---|---:|").append(trials ? "---|---:|" : "").append("---:|\n");
        for (GridSummary.Group g : s.groups()) {
            md.append("| ").append(g.source()).append(" | ").append(g.target()).append(" | ").append(g.size())
                    .append(" |");
            for (String c : columns) {
                md.append(' ').append(g.stats(c).map(GridReport::cell).orElse("–")).append(" |");
            }
            md.append(' ').append(g.best() == null ? "–" : g.best()).append(" | ")
                    .append(g.autoChoices().isEmpty() ? "–" : choices(g.autoChoices())).append(" | ")
                    .append(pp(g.regret())).append(" | ");
            if (trials) {
                md.append(g.trialChoices().isEmpty() ? "–" : choices(g.trialChoices())).append(" | ")
                        .append(pp(g.trialRegret())).append(" | ");
            }
            md.append(g.bestTransfer() == null || g.bestTransferMinusScratch() == null ? "–"
                            : pp(g.bestTransferMinusScratch()) + " (" + g.bestTransfer() + ")")
                    .append(" |\n");
        }
        md.append("\n## Summary\n\n");
        regretLines(md, "auto", s.meanRegret(), s.worst(), s.groups().stream().filter(g -> g.regret() != null)
                .count(), GridSummary.Group::regret, GridSummary.Group::autoMean);
        if (trials) {
            regretLines(md, "auto-trial", s.meanTrialRegret(), s.worstTrial(), s.groups().stream()
                    .filter(g -> g.trialRegret() != null).count(), GridSummary.Group::trialRegret,
                    GridSummary.Group::trialMean);
        }
        md.append("- Best transfer minus scratch, per cell:\n");
        for (GridSummary.Group g : s.groups()) {
            md.append(String.format(Locale.ROOT, "  - %s -> %s, %s per class: %s%n", g.source(), g.target(),
                    g.size(), g.bestTransferMinusScratch() == null ? "– (needs a transfer strategy and scratch)"
                            : pp(g.bestTransferMinusScratch()) + " pp (" + g.bestTransfer() + ")"));
        }
        md.append("\n## How each run stopped\n\n| target | size | seed | source | strategy | accuracy | stopped by"
                + " | epochs | best update / updates | tap | wall (s) |\n|---|---|---:|---|---|---:|---|---:|---:|---|---:|\n");
        for (CellResult c : r.cells()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.4f | %s | %s | %s | %s | %.1f |%n",
                    c.target(), c.size(), c.seed(), c.source(), c.strategy()
                            + (c.autoChoice() == null ? "" : " (" + c.autoChoice()
                            + (c.sameRunAs() == null ? "" : ", the " + c.sameRunAs() + " cell's run") + ")"),
                    c.accuracy(),
                    c.stopReason(), c.epochs() == null ? "–" : c.epochs().toString(),
                    c.updates() == null ? "–" : c.bestUpdate() + " / " + c.updates(), c.tap(), c.wallSeconds()));
        }
        md.append("\nAn auto cell whose choice a fixed cell had already run with the same fit options (or SVM tap),"
                + " data and seed reuses that run: its wall time is the selector's own plus that cell's.\n");
        md.append("\nPer-run folders (run.json, metrics.json, splits.json) are listed in ").append(JSON_FILE)
                .append("; the plot is ").append(PLOT_FILE).append(".\n");
        return md.toString();
    }

    private static void regretLines(StringBuilder md, String auto, Double mean, GridSummary.Group w, long cells,
                                    java.util.function.Function<GridSummary.Group, Double> regret,
                                    java.util.function.Function<GridSummary.Group, Double> autoMean) {
        md.append(String.format(Locale.ROOT, "- Selector's mean regret (%s): %s pp over %d cells (goal: at most 1"
                + " pp).%n", auto, pp(mean), cells));
        md.append(w == null ? "- Worst cell (" + auto + "): – (no cell has " + auto + " and a fixed strategy).\n"
                : String.format(Locale.ROOT, "- Worst cell (%s): %s -> %s, %s per class: regret %s pp (best %s %.3f,"
                        + " %s %.3f; goal: at most 3 pp).%n", auto, w.source(), w.target(), w.size(),
                pp(regret.apply(w)), w.best(), w.bestMean(), auto, autoMean.apply(w)));
    }

    /** The plot: one bar per strategy for each source x target x size, with the sd over seeds as error bars. */
    static byte[] plot(GridSummary s, List<String> strategyOrder) throws IOException {
        List<String> columns = columns(s, strategyOrder);
        List<String> labels = s.groups().stream().map(g -> g.source() + " > " + g.target() + " " + g.size()).toList();
        int width = Math.max(900, 160 + labels.size() * (columns.size() * 16 + 30));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(600)
                .title("Transfer benchmark: test accuracy (mean over seeds, bars: sd)").xAxisTitle("source > target"
                        + " size per class").yAxisTitle("test accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 30 : 0);
        chart.getStyler().setOverlapped(false);
        if (labels.isEmpty()) {
            chart.addSeries("no cells yet", List.of("none"), List.of(0.0));
        }
        for (String strategy : columns) {
            List<Number> means = new ArrayList<>();
            List<Number> sds = new ArrayList<>();
            for (GridSummary.Group g : s.groups()) {
                var stats = g.stats(strategy);
                // A strategy missing from a cell draws as no bar (0 height, no error bar), never as a measurement.
                means.add(stats.map(GridSummary.StrategyStats::meanAccuracy).orElse(0.0));
                sds.add(stats.map(st -> st.sdAccuracy() == null ? 0.0 : st.sdAccuracy()).orElse(0.0));
            }
            if (!labels.isEmpty()) {
                chart.addSeries(strategy, labels, means, sds);
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** The strategies that ran, in the grid's order. */
    private static List<String> columns(GridSummary s, List<String> strategyOrder) {
        List<String> present = new ArrayList<>();
        for (String name : strategyOrder) {
            if (s.groups().stream().anyMatch(g -> g.stats(name).isPresent())) {
                present.add(name);
            }
        }
        s.groups().forEach(g -> g.strategies().forEach(st -> {
            if (!present.contains(st.strategy())) {
                present.add(st.strategy());
            }
        }));
        return present;
    }

    private static String cell(GridSummary.StrategyStats st) {
        return (st.sdAccuracy() == null ? String.format(Locale.ROOT, "%.3f", st.meanAccuracy())
                : String.format(Locale.ROOT, "%.3f ± %.3f", st.meanAccuracy(), st.sdAccuracy()))
                + String.format(Locale.ROOT, " (%s)", duration(st.meanWallSeconds()));
    }

    private static String choices(Map<String, Integer> choices) {
        List<String> parts = new ArrayList<>();
        choices.forEach((k, v) -> parts.add(choices.size() == 1 && v == 1 ? k : k + " x" + v));
        return String.join(", ", parts);
    }

    private static String pp(Double fraction) {
        return fraction == null ? "–" : String.format(Locale.ROOT, "%+.1f", 100 * fraction);
    }

    private static String describe(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    /** 42 s, 3m05s, 1h02m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
