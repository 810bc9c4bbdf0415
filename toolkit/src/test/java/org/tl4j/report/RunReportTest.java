package org.tl4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tl4j.infer.EngineChoice;
import org.tl4j.train.TestPredictions;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.train.BengioLrSearch;
import org.tl4j.train.ClassificationMetrics;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.train.LrPlan;
import org.tl4j.train.RunRecord;
import org.tl4j.train.TrainedModel;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * The report of a run folder made here: an image folder of three colour classes (plus one broken file), an
 * untrained alexnet-small with a 3-class head (so it makes mistakes), its splits, and run.json/metrics.json written
 * as fit writes them. Rendered in headless Chromium when it is installed (Debian package {@code chromium}).
 */
class RunReportTest {

    @TempDir
    static Path dir;
    static Path run;
    static final List<String> CLASSES = List.of("blue", "green", "red");

    @BeforeAll
    static void runFolder() throws Exception {
        Path data = dir.resolve("data");
        Color[] colours = {Color.BLUE, Color.GREEN, Color.RED};
        for (int c = 0; c < 3; c++) {
            Path folder = Files.createDirectories(data.resolve(CLASSES.get(c)));
            for (int i = 0; i < 8; i++) {
                BufferedImage image = new BufferedImage(40 + i, 40, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(colours[c]);
                g.fillRect(0, 0, 40 + i, 40);
                g.setColor(Color.WHITE);
                g.fillRect(i, i, 10, 10);
                g.dispose();
                ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
            }
        }
        Files.writeString(data.resolve("red").resolve("broken.png"), "not a png");
        run = Files.createDirectories(dir.resolve("run"));
        Manifest manifest = ImageFolder.scan(data);
        Splits.loadOrCreate(run, manifest, Splits.Fractions.DEFAULT, 5);

        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = HeadSurgery.apply(Architectures.build(spec, 4), spec,
                HeadSpecification.linear(3).withSeed(1)).graph();
        new TrainedModel(graph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION, spec.id(), "fine-tune",
                "fc7", TrainedModel.InputDescription.of(spec.input()), CLASSES, HeadSurgery.CLASSIFIER))
                .save(run.resolve(TransferTraining.MODEL_FILE));

        List<RunRecord.EvaluationPoint> history = List.of(
                new RunRecord.EvaluationPoint(10, 1, 1.2, 1.1, 0.40, 1.1, "improved", 20, 3, 1.0),
                new RunRecord.EvaluationPoint(20, 2, 0.9, 0.95, 0.55, 0.95, "improved", 30, 6, 2.0),
                new RunRecord.EvaluationPoint(30, 3, 0.7, 0.97, 0.52, 0.97, "no-improvement", 30, 9, 3.0));
        BengioLrSearch.Result search = new BengioLrSearch.Result(0.01, 0.03, List.of(
                new BengioLrSearch.ProbeRecord(0.3, 1.1, Double.NaN, true),
                new BengioLrSearch.ProbeRecord(0.1, 1.1, 3.5, true),
                new BengioLrSearch.ProbeRecord(0.03, 1.1, 0.8, false)));
        LrPlan plan = new LrPlan(0.01, List.of(new LrPlan.GroupRate("body", 0.1, List.of("conv1", "conv2")),
                new LrPlan.GroupRate("head", 1.0, List.of("classifier"))), Map.of());
        Map<String, Map<String, Integer>> perClass = new LinkedHashMap<>();
        CLASSES.forEach(c -> perClass.put(c, Map.of("train", 6, "val", 1, "test", 1)));
        RunRecord record = new RunRecord(RunRecord.FORMAT_VERSION, "alexnet-small", "fine-tune",
                new RunRecord.WeightsProvenance("untrained", null, "ab12"),
                new RunRecord.DataProvenance(data.toString(), "cafe", 24, CLASSES),
                new RunRecord.SplitsProvenance("splits.json", "stratified", 5, 18, 3, 3, perClass), 5, null, "fc7",
                "none", "training", 0.01, search, plan, List.of(), null, history,
                new RunRecord.Stopping("early-stopping", 30, 3, 20, 0.95, "loss"), null,
                new RunRecord.TestSummary(3, 0.33, 3, 1.0, 1.1), "2026-11-27T20:00:00Z", "2026-11-27T20:01:00Z", 60);
        ClassificationMetrics metrics = new ClassificationMetrics("test", 3, 1.0 / 3, 3, 1.0, 1.1, CLASSES,
                List.of(new ClassificationMetrics.ClassScores("blue", 1, 1, 1, 1),
                        new ClassificationMetrics.ClassScores("green", 0, 0, 0, 1),
                        new ClassificationMetrics.ClassScores("red", 0.5, 0, 0, 1)),
                new int[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}});
        ObjectMapper json = new ObjectMapper();
        json.writeValue(run.resolve(RunRecord.FILE_NAME).toFile(), record);
        json.writeValue(run.resolve(TransferTraining.METRICS_FILE).toFile(), metrics);
        assertEquals(0, Main.run("report", run.toString(), "--quiet"));
    }

    @Test
    void htmlHoldsEverySectionWithPlotsInlineAndTheBrokenFileListed() throws IOException {
        String html = Files.readString(run.resolve(RunReport.HTML_FILE));
        for (String section : List.of("Dataset", "Training", "Learning-rate plan", "Learning-rate search",
                "Curves", "Test results", "Most confused test images", "Provenance")) {
            assertTrue(html.contains(">" + section + "<"), section);
        }
        assertTrue(html.contains("red/broken.png"), "rejected file listed");
        assertTrue(html.contains("<td>head</td><td>1.000</td><td>0.01000</td>"), "plan row");
        assertTrue(html.contains("taken for"), "at least one mistake shown (the untrained model errs)");
        assertTrue(!html.contains("src=\"report-files"), "no external image in the HTML");
        // lr search, loss, accuracy, confusion, and at least one thumbnail.
        assertTrue(dataImages(html) >= 5, "inline images: " + dataImages(html));
    }

    @Test
    void markdownLinksPngFilesThatExist() throws IOException {
        String md = Files.readString(run.resolve(RunReport.MARKDOWN_FILE));
        Matcher m = Pattern.compile("\\]\\((report-files/[^)]+)\\)").matcher(md);
        int links = 0;
        while (m.find()) {
            assertTrue(ImageIO.read(run.resolve(m.group(1)).toFile()) != null, m.group(1));
            links++;
        }
        assertTrue(links >= 5, md);
        assertTrue(md.contains("|blue|1.000|1.000|1.000|1|"), md);
    }

    @Test
    void theGalleryOnOnnxRuntimeShowsTheSameMistakesAsOnDl4j() throws IOException {
        RunReport.write(run, EngineChoice.ND4J);
        List<String> dl4j = captions(Files.readString(run.resolve(RunReport.HTML_FILE)));
        RunReport.write(run, EngineChoice.ONNXRUNTIME);
        List<String> ort = captions(Files.readString(run.resolve(RunReport.HTML_FILE)));
        RunReport.write(run, EngineChoice.ND4J);
        assertTrue(!dl4j.isEmpty(), "the untrained model errs");
        assertEquals(dl4j, ort);
    }

    @Test
    void recordedTestPredictionsMakeTheGalleryWithoutRunningTheModel() throws IOException {
        Path recorded = run.resolve(TestPredictions.FILE_NAME);
        TestPredictions.write(run, List.of(new TestPredictions.Prediction("blue/img3.png", "blue", "red", 0.91),
                new TestPredictions.Prediction("green/img5.png", "green", "green", 0.99),
                new TestPredictions.Prediction("red/img1.png", "red", "blue", 0.97)));
        try {
            RunReport.write(run, EngineChoice.ND4J);
            assertEquals(List.of("red/img1.png: red taken for blue", "blue/img3.png: blue taken for red"),
                    captions(Files.readString(run.resolve(RunReport.HTML_FILE))), "the mistakes, most confident first");
        } finally {
            Files.delete(recorded);
            RunReport.write(run, EngineChoice.ND4J);
        }
    }

    /** The gallery's captions, "path: actual taken for predicted", without the rounded confidence. */
    private static List<String> captions(String html) {
        Matcher m = Pattern.compile("<figcaption>([^<]+ taken for \\w+) \\(").matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void missingRunFilesAreAUserError() {
        assertEquals(2, Main.run("report", dir.resolve("nothing").toString()));
    }

    @Test
    void chromiumRendersANonBlankPageWithEveryImageLoaded() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "Debian package chromium not installed");
        String html = Files.readString(run.resolve(RunReport.HTML_FILE));

        Path shot = dir.resolve("shot.png");
        chromium(chromium, "--screenshot=" + shot, "--window-size=1200,2400", run.resolve(RunReport.HTML_FILE));
        BufferedImage image = ImageIO.read(shot.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 50, "screenshot looks blank: " + colours.size() + " colours");

        assertEquals("0/" + dataImages(html), brokenImages(chromium, html, "ok.html"));
        // The check can fail: one image's data cut short is reported as broken.
        int cut = html.indexOf("base64,") + 7;
        String damaged = html.substring(0, cut) + "AAAA" + html.substring(html.indexOf('"', cut));
        assertEquals("1/" + dataImages(html), brokenImages(chromium, damaged, "damaged.html"));
    }

    /** "broken/total" images as Chromium sees them after load, from a copy of the page with a marking script. */
    private static String brokenImages(Path chromium, String html, String name) throws Exception {
        String script = "<script>window.addEventListener('load',function(){var all=document.images,b=0;"
                + "for(var i=0;i<all.length;i++){if(!all[i].complete||all[i].naturalWidth===0){b++;}}"
                + "document.body.setAttribute('data-broken',b+'/'+all.length);});</script>";
        Path page = dir.resolve(name);
        Files.writeString(page, html.replace("</body>", script + "</body>"), StandardCharsets.UTF_8);
        String dom = chromium(chromium, "--dump-dom", "--virtual-time-budget=5000", page);
        Matcher m = Pattern.compile("data-broken=\"([0-9]+/[0-9]+)\"").matcher(dom);
        assertTrue(m.find(), "no marker in the dumped DOM");
        return m.group(1);
    }

    private static String chromium(Path chromium, String option, String second, Path page) throws Exception {
        // --no-sandbox: the tests may run as root (CI containers), where Chromium's sandbox refuses to start.
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", option, second, page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium failed");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int dataImages(String html) {
        return html.split("src=\"data:image/png;base64,", -1).length - 1;
    }
}
