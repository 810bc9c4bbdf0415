package org.tl4j.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregation behind results.md, on hand-made cells whose figures are worked out by hand. */
class GridSummaryTest {

    private static final List<String> ORDER = BenchStrategy.DEFAULTS.stream().map(BenchStrategy::cliName).toList();
    private static final String RESNET = "resnet50/caffe-x0.25-32x32";

    private static CellResult cell(String source, String arch, String target, String size, long seed,
                                   String strategy, double accuracy, double seconds, String autoChoice) {
        return new CellResult(source, arch, target, size, 10, seed, strategy, accuracy, 100, seconds,
                "early-stopping", 3, 9L, 6L, "avgpool", autoChoice, "/runs/x", null);
    }

    @Test
    void meanAndSampleStandardDeviationOverSeeds() {
        List<CellResult> cells = List.of(
                cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.50, 10, null),
                cell("glyphs", RESNET, "digits", "10", 2, "linear", 0.60, 20, null),
                cell("glyphs", RESNET, "digits", "10", 3, "linear", 0.70, 30, null));
        GridSummary.StrategyStats linear = GridSummary.of(cells, ORDER).groups().get(0).stats("linear").orElseThrow();
        assertEquals(3, linear.runs());
        assertEquals(0.60, linear.meanAccuracy(), 1e-12);
        assertEquals(0.10, linear.sdAccuracy(), 1e-12, "sample sd: sqrt((0.01 + 0 + 0.01) / 2)");
        assertEquals(20.0, linear.meanWallSeconds(), 1e-12);
    }

    @Test
    void oneSeedHasNoStandardDeviation() {
        GridSummary summary = GridSummary.of(List.of(cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.5, 1,
                null)), ORDER);
        assertNull(summary.groups().get(0).stats("linear").orElseThrow().sdAccuracy());
    }

    @Test
    void bestStrategyIncludesScratchAndRegretIsBestMinusAuto() {
        List<CellResult> cells = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            cells.add(cell("glyphs", RESNET, "digits", "10", seed, "linear", 0.60, 5, null));
            cells.add(cell("glyphs", RESNET, "digits", "10", seed, "fine-tune-top", 0.70, 50, null));
            cells.add(cell("glyphs", RESNET, "digits", "10", seed, "scratch", seed == 1 ? 0.80 : 0.76, 60, null));
            cells.add(cell("glyphs", RESNET, "digits", "10", seed, "auto", 0.60, 7,
                    seed == 1 ? "linear" : "fine-tune-top"));
        }
        GridSummary.Group g = GridSummary.of(cells, ORDER).groups().get(0);
        assertEquals("scratch", g.best(), "scratch counts for the best strategy");
        assertEquals(0.78, g.bestMean(), 1e-12);
        assertEquals(0.60, g.autoMean(), 1e-12);
        assertEquals(0.18, g.regret(), 1e-12);
        assertEquals("fine-tune-top", g.bestTransfer());
        assertEquals(0.70 - 0.78, g.bestTransferMinusScratch(), 1e-12);
        assertEquals(Map.of("linear", 1, "fine-tune-top", 1), g.autoChoices());
        assertEquals(List.of("linear", "fine-tune-top", "scratch", "auto"),
                g.strategies().stream().map(GridSummary.StrategyStats::strategy).toList(), "the grid's order");
    }

    @Test
    void autoIsNeverTheBestStrategyEvenWhenItScoresHighest() {
        List<CellResult> cells = List.of(
                cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.60, 5, null),
                cell("glyphs", RESNET, "digits", "10", 1, "auto", 0.65, 5, "svm-earlier"));
        GridSummary.Group g = GridSummary.of(cells, ORDER).groups().get(0);
        assertEquals("linear", g.best());
        assertEquals(-0.05, g.regret(), 1e-12, "a negative regret is reported as measured");
    }

    @Test
    void scratchIsSharedBySourcesOfTheSameArchitectureOnly() {
        List<CellResult> cells = List.of(
                cell("resnet-small.glyphs", RESNET, "digits", "10", 1, "linear", 0.90, 5, null),
                cell("resnet-small.fashion04", RESNET, "digits", "10", 1, "linear", 0.50, 5, null),
                cell("alexnet-small.glyphs", "alexnet-x0.25-64x64", "digits", "10", 1, "linear", 0.85, 5, null),
                cell("resnet-small.glyphs", RESNET, "digits", "10", 1, "scratch", 0.70, 5, null),
                cell("alexnet-small.glyphs", "alexnet-x0.25-64x64", "digits", "10", 1, "scratch", 0.60, 5, null));
        GridSummary summary = GridSummary.of(cells, ORDER);
        assertEquals(3, summary.groups().size());
        GridSummary.Group fashion = summary.groups().get(1);
        assertEquals("resnet-small.fashion04", fashion.source());
        assertEquals(0.70, fashion.stats("scratch").orElseThrow().meanAccuracy(), 1e-12);
        assertEquals("scratch", fashion.best());
        assertEquals(0.50 - 0.70, fashion.bestTransferMinusScratch(), 1e-12);
        GridSummary.Group alex = summary.groups().get(2);
        assertEquals(0.60, alex.stats("scratch").orElseThrow().meanAccuracy(), 1e-12);
        assertEquals(0.25, alex.bestTransferMinusScratch(), 1e-12);
    }

    @Test
    void meanRegretAndWorstGroupOverTheGrid() {
        List<CellResult> cells = List.of(
                cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.80, 5, null),
                cell("glyphs", RESNET, "digits", "10", 1, "auto", 0.79, 5, "svm-earlier"),
                cell("glyphs", RESNET, "fashion5-9", "10", 1, "linear", 0.70, 5, null),
                cell("glyphs", RESNET, "fashion5-9", "10", 1, "auto", 0.65, 5, "scratch"),
                cell("glyphs", RESNET, "digits", "100", 1, "linear", 0.90, 5, null));
        GridSummary summary = GridSummary.of(cells, ORDER);
        assertEquals(3, summary.groups().size());
        assertNull(summary.groups().get(2).regret(), "no auto in that group");
        assertEquals((0.01 + 0.05) / 2, summary.meanRegret(), 1e-12);
        assertEquals("fashion5-9", summary.worst().target());
    }

    @Test
    void noAutoMeansNoRegret() {
        GridSummary summary = GridSummary.of(List.of(cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.8, 5,
                null)), ORDER);
        assertNull(summary.meanRegret());
        assertNull(summary.worst());
    }

    @Test
    void autoTrialHasItsOwnChoiceAndRegret() {
        List<CellResult> cells = List.of(
                cell("glyphs", RESNET, "digits", "10", 1, "linear", 0.80, 5, null),
                cell("glyphs", RESNET, "digits", "10", 1, "scratch", 0.50, 5, null),
                cell("glyphs", RESNET, "digits", "10", 1, "auto", 0.50, 5, "scratch"),
                cell("glyphs", RESNET, "digits", "10", 1, "auto-trial", 0.79, 9, "linear"));
        GridSummary summary = GridSummary.of(cells, ORDER);
        GridSummary.Group g = summary.groups().get(0);
        assertEquals("linear", g.best(), "auto-trial is a choice, not a strategy");
        assertEquals(0.30, g.regret(), 1e-12);
        assertEquals(0.01, g.trialRegret(), 1e-12);
        assertEquals(Map.of("linear", 1), g.trialChoices());
        assertEquals(0.01, summary.meanTrialRegret(), 1e-12);
        assertEquals(0.30, summary.meanRegret(), 1e-12);
    }
}
