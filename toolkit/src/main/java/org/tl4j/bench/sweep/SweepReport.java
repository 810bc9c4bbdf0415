package org.tl4j.bench.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.tl4j.data.AtomicFiles;

/**
 * Writes the sweep's three outputs atomically: results.json (settings, machine, one entry per batch size),
 * results.md (the table) and batch-sweep.png (images/s and training seconds to the target against the batch size,
 * log axes, two XChart charts side by side in one image).
 */
public final class SweepReport {

    /** The output files in the --out folder. */
    public static final String JSON_FILE = "results.json";
    public static final String MARKDOWN_FILE = "results.md";
    public static final String PLOT_FILE = "batch-sweep.png";
    /** Version of results.json's layout. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Everything results.json holds.
     *
     * @param format      {@link #FORMAT_VERSION}
     * @param complete    whether every batch size has finished
     * @param wallSeconds wall time of this invocation so far (reused batches cost nothing here)
     * @param sweep       the sweep's settings
     * @param machine     cores, OMP_NUM_THREADS, /proc/loadavg at the start and now, the native build loaded
     * @param runs        one entry per finished batch size, in run order
     */
    public record Results(int format, boolean complete, double wallSeconds, Map<String, Object> sweep,
                          Map<String, Object> machine, List<BatchRun> runs) {
    }

    private SweepReport() {
    }

    /** Writes the three files into {@code out}. */
    public static void write(Path out, Results results) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve(JSON_FILE), o -> JSON.writeValue(o, results));
        byte[] md = markdown(results).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve(MARKDOWN_FILE), o -> o.write(md));
        byte[] png = plot(results);
        AtomicFiles.write(out.resolve(PLOT_FILE), o -> o.write(png));
    }

    /** The contents of /proc/loadavg (1, 5, 15 minute load averages), or why it could not be read. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown (/proc/loadavg unreadable: " + e.getMessage() + ")";
        }
    }

    /** results.md: one row per batch size. */
    static String markdown(Results r) {
        Map<String, Object> s = r.sweep();
        StringBuilder md = new StringBuilder("# Batch-size sweep\n\n");
        md.append(String.format(Locale.ROOT, "%s: %d of %d batch sizes, %.0f s of wall time in this invocation.%n%n",
                r.complete() ? "Complete" : "INCOMPLETE", r.runs().size(), ((List<?>) s.get("batches")).size(),
                r.wallSeconds()));
        md.append("- Sweep: ").append(describe(s)).append(".\n");
        md.append("- Machine: ").append(describe(r.machine())).append(" (load: /proc/loadavg's 1, 5, 15 minute"
                + " averages).\n");
        md.append(String.format(Locale.ROOT, "- Every batch size trains with the strategy's fixed learning rate"
                + " (scaling: %s, relative to batch %d), the same data, splits and seed; validation every"
                + " 1/%s epoch; a run stops at the first validation accuracy >= %s (target-reached), %sor at %s"
                + " epochs (max-epochs).%n", s.get("lrScaling"), LrScaling.REFERENCE_BATCH,
                s.get("evalsPerEpoch"), s.get("targetAccuracy"), Boolean.TRUE.equals(s.get("earlyStopping"))
                        ? "at fit's early stopping (early-stopping), " : "", s.get("maxEpochs")));
        md.append("- images/s: training images processed / training seconds, where training seconds exclude"
                + " validation and checkpoint time (run.json's evalSeconds). s to target: training seconds to the"
                + " first evaluation at or above the target (in brackets: with validation and checkpoints)."
                + " Test accuracy: the weights fit kept (lowest validation loss).\n\n");
        md.append("| batch | rate | updates/epoch | images/s | s to target | updates to target | epochs to target"
                + " | best val acc | test acc | stopped by | full epochs | run wall (s) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (BatchRun b : r.runs()) {
            if (b.isDiverged()) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %d | – | diverged | – | – | – | – | diverged |"
                        + " – | – |%n", b.batch(), trim(b.learningRate()), b.updatesPerEpoch()));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %.0f | %s | %s | %s | %.4f | %.4f | %s | %d |"
                            + " %.0f |%n", b.batch(), trim(b.learningRate()), b.updatesPerEpoch(), b.imagesPerSecond(),
                    b.reached() ? String.format(Locale.ROOT, "%.1f (%.1f)", b.secondsToTarget(),
                            b.wallSecondsToTarget()) : "not reached",
                    b.reached() ? b.updatesToTarget().toString() : "–",
                    b.reached() ? String.format(Locale.ROOT, "%.2f", b.epochsToTarget())
                            : "not reached within " + b.epochs(),
                    b.bestValAccuracy(), b.testAccuracy(), b.stopReason(), b.epochs(), b.runWallSeconds()));
        }
        if (!r.runs().isEmpty()) {
            List<Double> first = accuracies(r);
            md.append("\nTraining seconds (validation excluded) to the first evaluation at or above each validation"
                    + " accuracy, read from the same runs (updates and epochs in brackets):\n\n| batch |");
            first.forEach(a -> md.append(String.format(Locale.ROOT, " %.2f |", a)));
            md.append(" load at start / end |\n|---:|");
            first.forEach(m -> md.append("---:|"));
            md.append("---|\n");
            for (BatchRun b : r.runs()) {
                md.append("| ").append(b.batch()).append(" |");
                for (double a : first) {
                    BatchRun.Milestone m = b.milestone(a).orElse(null);
                    md.append(m == null ? " – |" : m.reached() ? String.format(Locale.ROOT, " %.1f (%d, %.2f) |",
                            m.seconds(), m.updates(), m.epochs()) : " not reached |");
                }
                md.append(' ').append(b.loadAtStart()).append(" / ").append(b.loadAtEnd()).append(" |\n");
            }
        }
        md.append("\nRun folders (run.json with the full validation history) are listed in ").append(JSON_FILE)
                .append("; the plot is ").append(PLOT_FILE).append(".\n");
        return md.toString();
    }

    /** The two charts side by side: throughput, and training seconds to the target (reached batches only). */
    static byte[] plot(Results r) throws IOException {
        XYChart speed = chart("Training throughput", "images/s (validation excluded)");
        XYChart time = chart("Time to validation accuracy (target " + r.sweep().get("targetAccuracy") + ")",
                "training seconds to reach it (missing: not reached)");
        List<Double> batches = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (BatchRun b : r.runs()) {
            if (!b.isDiverged()) {
                batches.add(log2(b.batch()));
                rates.add(b.imagesPerSecond());
            }
        }
        addSeries(speed, "images/s", batches, rates);
        List<Double> accuracies = accuracies(r);
        for (int i = 0; i < accuracies.size(); i++) {
            List<Double> reachedBatches = new ArrayList<>();
            List<Double> seconds = new ArrayList<>();
            for (BatchRun b : r.runs()) {
                BatchRun.Milestone m = b.milestone(accuracies.get(i)).orElse(null);
                if (m != null && m.reached()) {
                    reachedBatches.add(log2(b.batch()));
                    seconds.add(m.seconds());
                }
            }
            if (!reachedBatches.isEmpty()) {
                time.addSeries(String.format(Locale.ROOT, "val acc %.2f", accuracies.get(i)), reachedBatches, seconds);
            }
        }
        if (time.getSeriesMap().isEmpty()) {
            addSeries(time, "seconds to target", List.of(), List.of());
        } else {
            time.getStyler().setLegendVisible(true);
        }
        BufferedImage left = BitmapEncoder.getBufferedImage(speed);
        BufferedImage right = BitmapEncoder.getBufferedImage(time);
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(both, "png", bytes);
        return bytes.toByteArray();
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle("batch size (log2 axis)")
                .yAxisTitle(yTitle).build();
        // x is log2(batch), labelled with the batch size at whole powers of two: XChart's own log axis labels
        // only powers of ten, which leaves 8..512 unlabelled.
        chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9
                ? Long.toString(Math.round(Math.pow(2, x))) : "");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideN);
        return chart;
    }

    private static void addSeries(XYChart chart, String name, List<Double> x, List<Double> y) {
        if (x.isEmpty()) {
            // XChart cannot draw an empty series; a placeholder named as such is never read as a measurement.
            chart.setTitle(chart.getTitle() + " (no batch size yet)");
            chart.addSeries(name + " (none)", new double[] {1}, new double[] {0});
            return;
        }
        chart.addSeries(name, x, y);
    }

    /** Every milestone accuracy any run recorded, ascending. */
    private static List<Double> accuracies(Results r) {
        return r.runs().stream().flatMap(b -> b.milestones().stream()).map(BatchRun.Milestone::accuracy).distinct()
                .sorted().toList();
    }

    private static double log2(int batch) {
        return Math.log(batch) / Math.log(2);
    }

    private static String trim(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }

    private static String describe(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }
}
