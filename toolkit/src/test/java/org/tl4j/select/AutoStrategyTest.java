package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tl4j.train.FitOptions;
import org.tl4j.train.Optimizer;

/** The Java route of {@code fit --strategy auto}: an advice turned into FitOptions, the user's other settings kept. */
class AutoStrategyTest {

    private static AutoStrategy.Decision decision(Strategy strategy, Advice.PlanParameters plan) {
        Advice advice = new Advice(strategy, "res4f", plan, new Advice.Cost(1, 10, null), List.of("because"));
        return new AutoStrategy.Decision(null, NextCommand.fitArguments(advice));
    }

    @Test
    void fineTuneAllAdviceBecomesDiscriminativeFineTuningKeepingTheUsersSettings() {
        FitOptions base = FitOptions.builder(Path.of("data"), "resnet50-small", org.tl4j.train.Strategy.SCRATCH)
                .maxEpochs(7).seed(9).build();
        FitOptions chosen = decision(Strategy.FINE_TUNE_ALL, new Advice.PlanParameters(3e-4, "", 10.0, 5))
                .fitOptions(base);
        assertEquals(org.tl4j.train.Strategy.FINE_TUNE, chosen.strategy());
        assertEquals("res4f", chosen.tap());
        assertEquals(10.0, chosen.discriminative());
        assertEquals(3e-4, chosen.learningRate());
        assertEquals(Optimizer.Method.ADAM, chosen.optimizer().method());
        assertEquals(7, chosen.maxEpochs());
        assertEquals(9, chosen.seed());
    }

    @Test
    void fineTuneTopFreezesTheEarlyGroupsAndSvmGoesToSvmFitRun() {
        FitOptions base = FitOptions.builder(Path.of("data"), "resnet50-small", org.tl4j.train.Strategy.SCRATCH)
                .build();
        FitOptions top = decision(Strategy.FINE_TUNE_TOP, new Advice.PlanParameters(1e-3, "stem=0,res2=0", null, 5))
                .fitOptions(base);
        assertEquals("stem=0,res2=0", top.lrMult());
        AutoStrategy.Decision svm = decision(Strategy.SVM_ON_EARLIER_TAP, null);
        assertTrue(svm.isSvm());
        assertThrows(IllegalStateException.class, () -> svm.fitOptions(base));
    }
}
