package org.tl4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.predict.NetworkClassifier;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.train.ClassificationMetrics;
import org.tl4j.train.LrPlan;
import org.tl4j.train.RunRecord;
import org.tl4j.train.TestPredictions;
import org.tl4j.train.TrainedModel;
import org.tl4j.train.TransferTraining;

/**
 * A run a person can read: {@code RUN/report.html} (self-contained, plots and thumbnails as data URIs) and
 * {@code RUN/report.md} (plots as PNG files in {@code RUN/report-files/}), made from {@code run.json} and
 * {@code metrics.json}; the rejected files and the most confused test images come from scanning the run's data
 * folder and running {@code model.zip} over the test split again, and are left out with a note when those are gone.
 *
 * <p>The HTML is written with a small builder rather than a template engine: one fixed page, a few tables, every
 * value escaped in one place ({@link Page#escape}).
 */
public final class RunReport {

    /** The HTML report's file name in the run folder. */
    public static final String HTML_FILE = "report.html";
    /** The Markdown report's file name. */
    public static final String MARKDOWN_FILE = "report.md";
    /** Folder of the Markdown report's PNGs. */
    public static final String FILES_FOLDER = "report-files";
    /** How many mistakes the gallery shows. */
    static final int MISTAKES_SHOWN = 12;
    /** How many rejected files are listed by name. */
    static final int REJECTED_SHOWN = 50;

    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    private RunReport() {
    }

    /** What {@link #write} wrote. */
    public record Written(Path html, Path markdown, int images) {
    }

    /**
     * Writes both reports into {@code run}.
     *
     * @throws InvalidInputException when {@code run} has no run.json or metrics.json
     */
    public static Written write(Path run) throws IOException {
        return write(run, EngineChoice.ND4J);
    }

    /**
     * Writes both reports into {@code run}, running the model over the test split (for the gallery of mistakes) on
     * {@code engine}: fit passes its own --engine, since DL4J alone took minutes there (ResNet-50 at 160 px on 750
     * test images: about 1 image/s in DL4J against some 20 in ONNX Runtime).
     *
     * @throws InvalidInputException when {@code run} has no run.json or metrics.json
     */
    public static Written write(Path run, EngineChoice engine) throws IOException {
        Path runFile = run.resolve(RunRecord.FILE_NAME);
        Path metricsFile = run.resolve(TransferTraining.METRICS_FILE);
        for (Path f : List.of(runFile, metricsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new InvalidInputException(f + " does not exist: pass a run folder that ./tl4j fit completed");
            }
        }
        RunRecord record = TransferTraining.readRun(runFile);
        ClassificationMetrics metrics = TransferTraining.readMetrics(metricsFile);
        Page page = new Page("tl4j run " + run.toAbsolutePath().normalize().getFileName());

        Manifest manifest = manifest(record); // scanned once: rejected files and the test images
        summary(page, record, metrics);
        dataset(page, record, manifest);
        advice(page, run);
        training(page, record);
        results(page, metrics);
        mistakes(page, manifest, run, engine);
        provenance(page, record);

        Path html = run.resolve(HTML_FILE);
        Path md = run.resolve(MARKDOWN_FILE);
        Path files = run.resolve(FILES_FOLDER);
        Files.createDirectories(files);
        for (Map.Entry<String, byte[]> png : page.images.entrySet()) {
            AtomicFiles.write(files.resolve(png.getKey()), o -> o.write(png.getValue()));
        }
        AtomicFiles.write(html, o -> o.write(page.html().getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(md, o -> o.write(page.markdown().getBytes(StandardCharsets.UTF_8)));
        return new Written(html, md, page.images.size());
    }

    private static void summary(Page page, RunRecord r, ClassificationMetrics m) {
        page.paragraph(String.format(Locale.ROOT, "%s (%s) on %s: test accuracy %.4f, top-%d %.4f, mean loss %.4f"
                        + " on %d images.", r.adapterId(), r.strategy(), r.data() == null ? "?" : r.data().folder(),
                m.accuracy(), m.topK(), m.topKAccuracy(), m.meanLoss(), m.images()));
    }

    private static void dataset(Page page, RunRecord r, Manifest manifest) {
        page.heading("Dataset");
        if (r.data() != null) {
            page.paragraph(r.data().images() + " usable images in " + r.data().classes().size() + " classes, folder "
                    + r.data().folder() + " (manifest hash " + r.data().manifestHash() + ").");
        }
        RunRecord.SplitsProvenance s = r.splits();
        if (s != null) {
            page.paragraph(String.format(Locale.ROOT, "Splits (%s, seed %d): train %d, validation %d, test %d.",
                    s.source(), s.seed(), s.train(), s.val(), s.test()));
            if (s.perClass() != null) {
                List<List<String>> rows = new ArrayList<>();
                s.perClass().forEach((cls, parts) -> rows.add(List.of(cls, count(parts, "train"),
                        count(parts, "val"), count(parts, "test"))));
                page.table(List.of("class", "train", "val", "test"), rows);
            }
        }
        if (manifest == null) {
            page.paragraph("Rejected files: not listed (the data folder is not readable now).");
        } else if (manifest.rejected().isEmpty()) {
            page.paragraph("Rejected files: none.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Manifest.Entry e : manifest.rejected().subList(0, Math.min(REJECTED_SHOWN,
                    manifest.rejected().size()))) {
                rows.add(List.of(e.path(), e.reason() == null ? "" : e.reason()));
            }
            page.paragraph("Rejected files: " + manifest.rejected().size()
                    + (manifest.rejected().size() > REJECTED_SHOWN ? " (first " + REJECTED_SHOWN + " listed)" : "")
                    + ".");
            page.table(List.of("file", "reason"), rows);
        }
    }

    private static String count(Map<String, Integer> parts, String part) {
        Integer n = parts.get(part);
        if (n == null) {
            n = parts.get(part.toUpperCase(Locale.ROOT));
        }
        return n == null ? "0" : n.toString();
    }

    private static Manifest manifest(RunRecord r) {
        if (r.data() == null || r.data().folder() == null || !Files.exists(Path.of(r.data().folder()))) {
            return null;
        }
        try {
            return ConfusedImages.scan(Path.of(r.data().folder()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("report: cannot scan {} again ({}); rejected files and mistakes left out", r.data().folder(),
                    e.getMessage());
            return null;
        }
    }

    private static void advice(Page page, Path run) throws IOException {
        Path file = run.resolve("advice.json");
        if (Files.isRegularFile(file)) {
            page.heading("Advice");
            page.preformatted(Files.readString(file));
        }
    }

    private static void training(Page page, RunRecord r) throws IOException {
        page.heading("Training");
        page.paragraph(String.format(Locale.ROOT, "Tap %s, freeze point %s, BatchNorm %s, base learning rate %.4g.",
                r.tap(), r.freeze(), r.batchNorm(), r.learningRate()));
        LrPlan plan = r.plan();
        if (plan != null) {
            List<List<String>> rows = new ArrayList<>();
            for (LrPlan.GroupRate g : plan.groups()) {
                rows.add(List.of(g.group(), fmt(g.multiplier()), fmt(g.multiplier() * plan.baseRate()),
                        String.join(", ", g.layers())));
            }
            page.subheading("Learning-rate plan");
            page.table(List.of("layer group", "multiplier", "rate", "layers"), rows);
        }
        if (r.lrSearch() != null && !r.lrSearch().probes().isEmpty()) {
            page.subheading("Learning-rate search");
            page.image("lr-search.png", "learning-rate search", ReportCharts.lrSearch(r.lrSearch()));
        }
        if (r.divergences() != null && !r.divergences().isEmpty()) {
            page.paragraph(r.divergences().size() + " divergence(s) handled (rate divided by 3 after each).");
        }
        if (r.history() != null && !r.history().isEmpty()) {
            page.subheading("Curves");
            page.image("loss.png", "training and validation loss", ReportCharts.loss(r.history()));
            page.image("accuracy.png", "validation accuracy", ReportCharts.accuracy(r.history()));
        }
        RunRecord.Stopping s = r.stopping();
        if (s != null) {
            page.paragraph(String.format(Locale.ROOT, "Stopped by %s at update %d (%d epochs); weights kept from"
                    + " update %d (%s %.4f).", s.reason(), s.update(), s.epochs(), s.bestUpdate(), s.monitor(),
                    s.bestScore()));
        }
    }

    private static void results(Page page, ClassificationMetrics m) throws IOException {
        page.heading("Test results");
        List<List<String>> rows = new ArrayList<>();
        for (ClassificationMetrics.ClassScores c : m.perClass()) {
            rows.add(List.of(c.name(), fmt(c.precision()), fmt(c.recall()), fmt(c.f1()),
                    Integer.toString(c.support())));
        }
        page.table(List.of("class", "precision", "recall", "F1", "images"), rows);
        page.image("confusion.png", "confusion matrix", ReportCharts.confusion(m));
    }

    private static void mistakes(Page page, Manifest manifest, Path run, EngineChoice engine) {
        page.heading("Most confused test images");
        Path model = run.resolve(TransferTraining.MODEL_FILE);
        Path splitsFile = run.resolve(Splits.FILE_NAME);
        if (manifest == null || !Files.isRegularFile(model) || !Files.isRegularFile(splitsFile)) {
            page.paragraph("Not shown: the run's model.zip, splits.json or data folder is missing.");
            return;
        }
        if (SvmFitRun.isBundle(model)) {
            // The gallery re-runs the network on the test images; an SVM bundle needs its source network beside it.
            page.paragraph("Not shown for SVM-on-activations runs; classify images with ./tl4j predict --model "
                    + model + " (add --graph SOURCE.zip when the codes came from --weights).");
            return;
        }
        Path recorded = run.resolve(TestPredictions.FILE_NAME);
        if (Files.isRegularFile(recorded)) {
            // The feature extractor recorded its test predictions: no second pass of the network is needed.
            try {
                showMistakes(page, ConfusedImages.fromPredictions(TestPredictions.read(recorded), manifest,
                        MISTAKES_SHOWN));
            } catch (IOException | RuntimeException e) {
                LOG.warn("report: mistakes left out ({})", e.getMessage());
                page.paragraph("Not shown: " + e.getMessage());
            }
            return;
        }
        try (NetworkClassifier classifier = new NetworkClassifier(TrainedModel.load(model)).engine(engine)) {
            List<ConfusedImages.Mistake> mistakes = ConfusedImages.find(classifier, manifest, Splits.load(splitsFile),
                    MISTAKES_SHOWN);
            showMistakes(page, mistakes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("report: mistakes left out ({})", e.getMessage());
            page.paragraph("Not shown: " + e.getMessage());
        }
    }

    private static void showMistakes(Page page, List<ConfusedImages.Mistake> mistakes) {
        if (mistakes.isEmpty()) {
            page.paragraph("None: every test image was classified correctly.");
        } else {
            page.gallery(mistakes);
        }
    }

    private static void provenance(Page page, RunRecord r) throws IOException {
        page.heading("Provenance");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("adapter", r.adapterId());
        if (r.weights() != null) {
            facts.put("weights", r.weights().kind() + (r.weights().file() == null ? "" : " " + r.weights().file()));
            facts.put("weights sha256", r.weights().sha256());
        }
        facts.put("seed", Long.toString(r.seed()));
        facts.put("started", r.startedAt());
        facts.put("finished", r.finishedAt());
        facts.put("wall time", String.format(Locale.ROOT, "%.1f s", r.wallSeconds()));
        facts.put("resumed from update", r.resumedFrom() == null ? "never resumed" : r.resumedFrom().toString());
        String version = RunReport.class.getPackage().getImplementationVersion();
        facts.put("tl4j", version == null ? "dev" : version);
        List<List<String>> rows = new ArrayList<>();
        facts.forEach((k, v) -> rows.add(List.of(k, v == null ? "" : v)));
        page.table(List.of("what", "value"), rows);
        page.subheading("Settings");
        page.preformatted(JSON.writeValueAsString(r.settings()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The report's content, rendered both as HTML (images inline) and Markdown (images as files). */
    static final class Page {
        private final StringBuilder html = new StringBuilder();
        private final StringBuilder md = new StringBuilder();
        final Map<String, byte[]> images = new LinkedHashMap<>();
        private final String title;

        Page(String title) {
            this.title = title;
            html.append("<h1>").append(escape(title)).append("</h1>\n");
            md.append("# ").append(title).append("\n\n");
        }

        void heading(String text) {
            html.append("<h2>").append(escape(text)).append("</h2>\n");
            md.append("## ").append(text).append("\n\n");
        }

        void subheading(String text) {
            html.append("<h3>").append(escape(text)).append("</h3>\n");
            md.append("### ").append(text).append("\n\n");
        }

        void paragraph(String text) {
            html.append("<p>").append(escape(text)).append("</p>\n");
            md.append(text).append("\n\n");
        }

        void preformatted(String text) {
            html.append("<pre>").append(escape(text)).append("</pre>\n");
            md.append("```\n").append(text).append("\n```\n\n");
        }

        void table(List<String> header, List<List<String>> rows) {
            html.append("<table><tr>");
            header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
            html.append("</tr>\n");
            md.append('|').append(String.join("|", header.stream().map(Page::cell).toList())).append("|\n|");
            header.forEach(h -> md.append("---|"));
            md.append('\n');
            for (List<String> row : rows) {
                html.append("<tr>");
                row.forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
                html.append("</tr>\n");
                md.append('|').append(String.join("|", row.stream().map(Page::cell).toList())).append("|\n");
            }
            html.append("</table>\n");
            md.append('\n');
        }

        void image(String file, String alt, byte[] png) {
            images.put(file, png);
            html.append("<img class=\"plot\" alt=\"").append(escape(alt)).append("\" src=\"").append(dataUri(png))
                    .append("\">\n");
            md.append("![").append(alt).append("](").append(FILES_FOLDER).append('/').append(file).append(")\n\n");
        }

        void gallery(List<ConfusedImages.Mistake> mistakes) {
            html.append("<div class=\"gallery\">\n");
            List<List<String>> rows = new ArrayList<>();
            int i = 0;
            for (ConfusedImages.Mistake m : mistakes) {
                String caption = String.format(Locale.ROOT, "%s: %s taken for %s (%.2f)", m.path(), m.actual(),
                        m.predicted(), m.confidence());
                html.append("<figure>");
                if (m.png() != null) {
                    String file = "mistake-" + (++i) + ".png";
                    images.put(file, m.png());
                    html.append("<img alt=\"").append(escape(m.path())).append("\" src=\"").append(dataUri(m.png()))
                            .append("\">");
                    rows.add(List.of("![" + m.path() + "](" + FILES_FOLDER + "/" + file + ")", m.path(),
                            m.actual(), m.predicted(), fmt(m.confidence())));
                } else {
                    rows.add(List.of("", m.path(), m.actual(), m.predicted(), fmt(m.confidence())));
                }
                html.append("<figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
            }
            html.append("</div>\n");
            md.append("|image|file|actual|predicted|score|\n|---|---|---|---|---|\n");
            for (List<String> row : rows) {
                md.append('|').append(String.join("|", row.stream().map(c -> c.startsWith("![") ? c : cell(c))
                        .toList())).append("|\n");
            }
            md.append('\n');
        }

        String html() {
            return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                    + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                    + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                    + "text-align:left}th{background:#eef}img.plot{display:block;margin:1em 0;max-width:100%}"
                    + ".gallery{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;width:160px;font-size:80%}"
                    + "pre{background:#f6f6f6;padding:8px;overflow:auto}</style></head><body>\n" + html
                    + "</body></html>\n";
        }

        String markdown() {
            return md.toString();
        }

        private static String dataUri(byte[] png) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        }

        static String escape(String text) {
            if (text == null) {
                return "";
            }
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

        private static String cell(String text) {
            return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
        }
    }
}
