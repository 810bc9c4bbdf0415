package org.tl4j.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.data.InvalidInputException;
import org.tl4j.infer.EngineChoice;
import org.tl4j.zoo.weights.WeightSettings;

/** The grid's cells before anything runs: scratch once per architecture, and the mistakes refused up front. */
class TransferBenchPlanTest {

    @TempDir
    Path dir;

    private TransferBench bench(List<String> sources, List<BenchStrategy> strategies, List<Long> seeds) {
        return new TransferBench(new TransferBench.Settings(sources, List.of(TransferTarget.DIGITS,
                TransferTarget.FASHION_5_9), List.of(TargetSize.parse("10")), seeds, strategies, dir.resolve("work"),
                dir.resolve("out"), 1000, 2, 32, WeightSettings.fromEnvironment(), EngineChoice.ND4J, false));
    }

    @Test
    void scratchRunsOncePerArchitectureTargetSizeAndSeedNotPerSource() throws Exception {
        // resnet50.imagenet and resnet50-dl4j.imagenet are one architecture; resnet-small.glyphs is another.
        List<TransferBench.PlannedCell> cells = bench(List.of("resnet-small.glyphs", "resnet50.imagenet",
                "resnet50-dl4j.imagenet"), List.of(BenchStrategy.LINEAR, BenchStrategy.SCRATCH), List.of(1L, 2L))
                .plan();
        List<TransferBench.PlannedCell> scratch = cells.stream()
                .filter(c -> c.strategy() == BenchStrategy.SCRATCH).toList();
        assertEquals(2 * 2 * 3, cells.size() - scratch.size(), "linear: 2 targets x 2 seeds x 3 sources");
        assertEquals(2 * 2 * 2, scratch.size(), "scratch: 2 targets x 2 seeds x 2 architectures");
        assertEquals(scratch.size(), scratch.stream().map(TransferBench.PlannedCell::runFolder).distinct().count());
        assertEquals(List.of("resnet-small.glyphs", "resnet50.imagenet"), scratch.stream().limit(2)
                .map(c -> c.source().id()).toList(), "the first source of each architecture runs its scratch");
        assertTrue(scratch.get(0).runFolder().endsWith(Path.of("digits-10", "seed1",
                "scratch-resnet50-caffe-x0.25-32x32")), scratch.get(0).runFolder().toString());
        assertEquals(cells.size(), cells.stream().map(TransferBench.PlannedCell::runFolder).distinct().count(),
                "every cell has its own run folder");
    }

    @Test
    void reportOnlyRunsNothingAndReportsTheFinishedCellsAsIncomplete() throws Exception {
        TransferBench bench = bench(List.of("resnet-small.glyphs"), List.of(BenchStrategy.LINEAR,
                BenchStrategy.SVM_TOP), List.of(1L));
        TransferBench.PlannedCell first = bench.plan().get(0);
        CellResult finished = new CellResult("resnet-small.glyphs", first.architecture(), first.target().id(), "10", 10,
                1, first.strategy().cliName(), 0.75, 1000, 3.0, "early-stopping", 5, 15L, 9L, "avgpool", null,
                first.runFolder().toString(), null);
        Files.createDirectories(first.runFolder());
        new ObjectMapper().writeValue(first.runFolder().resolve(TransferBench.CELL_FILE).toFile(), finished);
        StringWriter log = new StringWriter();
        TransferBench.Result result = bench.run(new PrintWriter(log), true);
        assertEquals(1, result.cells().size(), log.toString());
        assertEquals(0, result.ran());
        assertTrue(log.toString().contains("not run yet (--report-only)"), log.toString());
        String markdown = Files.readString(dir.resolve("out").resolve(GridReport.MARKDOWN_FILE));
        assertTrue(markdown.contains("INCOMPLETE: 1 of 4 cells"), markdown);
        assertTrue(markdown.contains("0.750"), markdown);
        assertFalse(Files.exists(dir.resolve("work").resolve("data")), "no target folder was prepared");
    }

    @Test
    void aSourceWithoutWeightsIsRefusedNamingTheFix() {
        var e = assertThrows(InvalidInputException.class, () -> bench(List.of("resnet50-small"),
                List.of(BenchStrategy.LINEAR), List.of(1L)).plan());
        assertTrue(e.getMessage().contains("'resnet50-small' has no pretrained weights"), e.getMessage());
        assertTrue(e.getMessage().contains("zoo list"), e.getMessage());
    }

    @Test
    void anUnknownSourceIsRefused() {
        var e = assertThrows(InvalidInputException.class, () -> bench(List.of("no-such-net"),
                List.of(BenchStrategy.LINEAR), List.of(1L)).plan());
        assertTrue(e.getMessage().contains("no-such-net"), e.getMessage());
    }

    @Test
    void autoAndAutoTrialAreCellsOfTheirOwnPerSource() throws Exception {
        List<TransferBench.PlannedCell> cells = bench(List.of("resnet-small.glyphs"), BenchStrategy.DEFAULTS,
                List.of(1L)).plan();
        assertEquals(2 * 8, cells.size(), "2 targets x the 8 default strategies");
        assertTrue(cells.get(7).runFolder().endsWith(Path.of("resnet-small.glyphs", "auto-trial")),
                cells.get(7).runFolder().toString());
    }

    @Test
    void sizesAndStrategiesParse() {
        assertEquals(new TargetSize("all", null), TargetSize.parse(" ALL "));
        assertEquals(1000, TargetSize.parse("all").trainPerClass(1000));
        assertEquals(100, TargetSize.parse("100").trainPerClass(1000));
        assertEquals(50, TargetSize.parse("100").trainPerClass(50), "the cap wins");
        assertThrows(InvalidInputException.class, () -> TargetSize.parse("1"));
        assertThrows(InvalidInputException.class, () -> TargetSize.parse("ten"));
        assertEquals(List.of(BenchStrategy.SCRATCH, BenchStrategy.LINEAR),
                BenchStrategy.parseList("scratch, linear,scratch"));
        assertThrows(InvalidInputException.class, () -> BenchStrategy.parseList("linear,magic"));
        assertEquals(BenchStrategy.SVM_EARLIER, BenchStrategy.ofAdvice(org.tl4j.select.Strategy.SVM_ON_EARLIER_TAP));
        assertEquals(TransferTarget.FASHION_5_9, TransferTarget.parse("fashion5-9"));
        assertThrows(InvalidInputException.class, () -> TransferTarget.parse("cifar"));
    }

    @Test
    void theCommandExitsTwoOnBadInputBeforeAnyWork() {
        assertEquals(2, Main.run("bench", "transfer", "--sources", "resnet50-small", "--work",
                dir.resolve("w").toString(), "--out", dir.resolve("o").toString(), "--quiet"));
        assertEquals(2, Main.run("bench", "transfer", "--sources", "resnet-small.glyphs", "--targets", "cifar",
                "--work", dir.resolve("w").toString(), "--out", dir.resolve("o").toString(), "--quiet"));
        assertEquals(2, Main.run("bench", "transfer", "--sources", "resnet-small.glyphs", "--sizes", "10,0",
                "--work", dir.resolve("w").toString(), "--out", dir.resolve("o").toString(), "--quiet"));
        assertTrue(java.nio.file.Files.notExists(dir.resolve("o")), "nothing written");
    }

    @Test
    void theEtaScalesUnmeasuredSizesByTheirTrainingImages() throws Exception {
        TransferBench b = new TransferBench(new TransferBench.Settings(List.of("resnet-small.glyphs"),
                List.of(TransferTarget.DIGITS), List.of(TargetSize.parse("10"), TargetSize.parse("100")), List.of(1L,
                2L), List.of(BenchStrategy.LINEAR, BenchStrategy.SCRATCH), dir.resolve("w"), dir.resolve("o"), 1000,
                2, 32, WeightSettings.fromEnvironment(), EngineChoice.ND4J, false));
        List<TransferBench.PlannedCell> plan = b.plan(); // 10: seed 1 linear, scratch, seed 2 ...; then 100
        TransferBench.CellTimes times = new TransferBench.CellTimes(1000);
        times.add(plan.get(0), 4);   // linear, 10 per class
        times.add(plan.get(1), 20);  // scratch, 10 per class
        assertEquals(4 + 20, times.estimate(plan.subList(2, 4)), 1e-9, "seed 2 at size 10: as measured");
        assertEquals(40 + 200, times.estimate(plan.subList(4, 6)), 1e-9, "size 100: ten times the images");
    }
}
