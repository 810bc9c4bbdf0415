package org.tl4j.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.select.Advice;
import org.tl4j.select.Advisor;
import org.tl4j.select.AutoStrategy;
import org.tl4j.select.NextCommand;
import org.tl4j.select.SelectorThresholds;
import org.tl4j.select.SizeFacts;
import org.tl4j.select.Strategy;
import org.tl4j.select.TapScores;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** An auto cell reuses a fixed cell's run only when that cell ran exactly what the selector chose. */
class AutoCellReuseTest {

    private static final AdapterSpec SOURCE = AdapterRegistry.builtIn().get("resnet-small.glyphs");

    @TempDir
    Path seedFolder;

    private Path folder(BenchStrategy strategy) {
        return seedFolder.resolve(strategy.cliName());
    }

    private void finish(BenchStrategy strategy, String tap, double accuracy) throws Exception {
        Path folder = folder(strategy);
        Files.createDirectories(folder);
        CellResult cell = new CellResult(SOURCE.id(), "resnet", "digits", "all", 400, 1, strategy.cliName(), accuracy,
                1000, 120.0, strategy.cliName().startsWith("svm") ? "svm" : "early-stopping", null, null, null, tap,
                null, folder.toString(), null);
        TransferBench.JSON.writeValue(folder.resolve(TransferBench.CELL_FILE).toFile(), cell);
    }

    private static AutoStrategy.Decision decision(Advice advice, List<String> fitArguments) {
        Advisor.Report report = new Advisor.Report(SOURCE.id(), true, true, 1, 80, SizeFacts.ofCounts(new int[] {8, 8}),
                List.of(new TapScores(advice.tap(), 8, 0.5, 0, 0)), List.of(), null, null, 80, advice,
                new ArrayList<>());
        return new AutoStrategy.Decision(report, fitArguments);
    }

    private static AutoStrategy.Decision advised(Strategy strategy, String tap) {
        Advice advice = StrategyPlans.advice(strategy, SOURCE, SelectorThresholds.DEFAULT);
        advice = new Advice(advice.strategy(), tap, advice.plan(), advice.cost(), advice.reasons());
        return decision(advice, NextCommand.fitArguments(advice));
    }

    @Test
    void anSvmChoiceReusesTheSvmCellOnTheSameTapOnly() throws Exception {
        finish(BenchStrategy.SVM_TOP, "avgpool", 0.90);
        finish(BenchStrategy.SVM_EARLIER, "res4f", 0.93);
        CellResult same = CellRunner.sameRun(advised(Strategy.SVM_ON_EARLIER_TAP, "res4f"), SOURCE, this::folder);
        assertEquals(0.93, same.accuracy());
        assertEquals("svm-earlier", same.strategy());
        assertEquals("svm-top", CellRunner.sameRun(advised(Strategy.SVM_ON_EARLIER_TAP, "avgpool"), SOURCE,
                this::folder).strategy());
        assertNull(CellRunner.sameRun(advised(Strategy.SVM_ON_EARLIER_TAP, "res3d"), SOURCE, this::folder),
                "no SVM cell read res3d");
    }

    @Test
    void aTrainingChoiceReusesTheFixedCellOnlyWithTheSameFitOptions() throws Exception {
        AutoStrategy.Decision fineTuneAll = advised(Strategy.FINE_TUNE_ALL, SOURCE.defaultTap());
        assertNull(CellRunner.sameRun(fineTuneAll, SOURCE, this::folder), "the fine-tune-all cell has not run yet");
        finish(BenchStrategy.FINE_TUNE_ALL, SOURCE.defaultTap(), 0.944);
        assertEquals(0.944, CellRunner.sameRun(fineTuneAll, SOURCE, this::folder).accuracy());

        List<String> otherRate = new ArrayList<>(fineTuneAll.fitArguments());
        otherRate.addAll(List.of("--lr", "0.01"));
        assertNull(CellRunner.sameRun(decision(fineTuneAll.report().advice(), otherRate), SOURCE, this::folder),
                "another rate is another run");
        assertNull(CellRunner.sameRun(advised(Strategy.FINE_TUNE_TOP, SOURCE.defaultTap()), SOURCE, this::folder),
                "no fine-tune-top cell");
    }
}
