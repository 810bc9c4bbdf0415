package org.tl4j.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json, results.md and the plot written from hand-made cells. */
class GridReportTest {

    private static final List<String> ORDER = BenchStrategy.DEFAULTS.stream().map(BenchStrategy::cliName).toList();

    private static CellResult cell(String target, long seed, String strategy, double accuracy, String choice) {
        boolean svm = strategy.startsWith("svm");
        return new CellResult("resnet-small.glyphs", "resnet50-caffe-x0.25-32x32", target, "10", 10, seed, strategy,
                accuracy, 1000, 12.5, svm ? "svm" : "early-stopping", svm ? null : 7, svm ? null : 21L,
                svm ? null : 9L, "avgpool", choice, "/w/runs/" + target + "/" + strategy, null);
    }

    @Test
    void aReusedRunCountsOnceInTheTimeTheCellsTook() {
        CellResult fixed = cell("digits", 1, "fine-tune-all", 0.9, null);
        CellResult reused = new CellResult(fixed.source(), fixed.architecture(), "digits", "10", 10, 1, "auto", 0.9,
                1000, 12.5 + 3.0, "early-stopping", 7, 21L, 9L, "avgpool", "fine-tune-all", fixed.runFolder(),
                "fine-tune-all");
        CellResult linear = cell("digits", 1, "linear", 0.8, null);
        assertEquals(12.5 + 3.0 + 12.5, GridReport.runSeconds(List.of(fixed, reused, linear)), 1e-9,
                "fine-tune-all's run once, auto's selector, linear");
    }

    @Test
    void writesTheThreeFilesWithEveryCellAndTheSummary(@TempDir Path dir) throws Exception {
        List<CellResult> cells = List.of(
                cell("digits", 1, "linear", 0.80, null), cell("digits", 2, "linear", 0.90, null),
                cell("digits", 1, "svm-top", 0.70, null), cell("digits", 2, "svm-top", 0.72, null),
                cell("digits", 1, "scratch", 0.60, null), cell("digits", 2, "scratch", 0.62, null),
                cell("digits", 1, "auto", 0.80, "linear"), cell("digits", 2, "auto", 0.72, "svm-top"),
                cell("fashion5-9", 1, "linear", 0.50, null));
        GridReport.Results results = new GridReport.Results(GridReport.FORMAT_VERSION, false, cells.size(), 12, 99,
                Map.of("seeds", List.of(1, 2)), Map.of("cores", 2), cells, GridSummary.of(cells, ORDER));
        GridReport.write(dir, results, ORDER);

        JsonNode json = new ObjectMapper().readTree(dir.resolve(GridReport.JSON_FILE).toFile());
        assertEquals(9, json.get("cells").size());
        assertEquals(0.09, json.get("summary").get("groups").get(0).get("regret").asDouble(), 1e-9,
                "best linear 0.85 minus auto 0.76");

        String md = Files.readString(dir.resolve(GridReport.MARKDOWN_FILE));
        assertTrue(md.contains("INCOMPLETE: 9 of 12 cells"), md);
        assertTrue(md.contains("| resnet-small.glyphs | digits | 10 | 0.850 ± 0.071 (13 s) | 0.710 ± 0.014 (13 s) |"
                + " 0.610 ± 0.014 (13 s) | 0.760 ± 0.057 (13 s) | linear | linear x1, svm-top x1 |"
                + " +9.0 | +24.0 (linear) |"), md);
        assertTrue(md.contains("| resnet-small.glyphs | fashion5-9 | 10 | 0.500 (13 s) | – |"),
                "one seed: the mean alone; a strategy that did not run: a dash\n" + md);
        assertTrue(md.contains("- Selector's mean regret (auto): +9.0 pp over 1 cells"), md);
        assertTrue(md.contains("| digits | 10 | 2 | resnet-small.glyphs | auto (svm-top) | 0.7200 | early-stopping |"
                + " 7 | 9 / 21 | avgpool | 12.5 |"), md);
        assertTrue(md.contains("| digits | 10 | 1 | resnet-small.glyphs | svm-top | 0.7000 | svm | – | – |"), md);

        BufferedImage plot = ImageIO.read(dir.resolve(GridReport.PLOT_FILE).toFile());
        assertNotNull(plot);
        assertTrue(plot.getWidth() >= 900, "width " + plot.getWidth());
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertEquals("42 s", GridReport.duration(42.4));
        assertEquals("3m05s", GridReport.duration(185));
        assertEquals("1h02m", GridReport.duration(3725));
    }
}
