package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.train.RunRecord;

/** What advice.json and run.json carry of the trials. */
class AdviceTrialsRecordTest {

    @TempDir
    Path dir;

    private static Advisor.Report report(Advice advice) {
        return new Advisor.Report("resnet-small.glyphs", true, true, 42, 80, SizeFacts.ofCounts(new int[] {8, 8}),
                List.of(new TapScores("avgpool", 512, 0.5, -0.2, 3)), List.of(), null, null, 80, advice,
                new ArrayList<>());
    }

    @Test
    void adviceJsonAndTheRunRecordCarryEveryTrial() throws Exception {
        List<Advice.Trial> trials = List.of(
                new Advice.Trial(Strategy.SCRATCH, "avgpool", 0, 2, "epochs", 40, 20, 0.10, 3.5),
                new Advice.Trial(Strategy.SVM_ON_EARLIER_TAP, "res4f", 0, 2, "converged", 40, 20, 0.40, 1.5),
                new Advice.Trial(Strategy.SVM_ON_EARLIER_TAP, "res4f", 1, 4, "converged", 40, 20, 0.40, 0.0));
        Advice advice = new Advice(Strategy.SVM_ON_EARLIER_TAP, "res4f", null, new Advice.Cost(1, 80, null),
                List.of("chosen by trial"), trials);
        AutoStrategy.Decision decision = new AutoStrategy.Decision(report(advice), NextCommand.fitArguments(advice));
        decision.writeTo(dir);

        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve(AutoStrategy.FILE_NAME)));
        JsonNode recorded = json.at("/advice/trials");
        assertEquals(3, recorded.size());
        assertEquals("SVM_ON_EARLIER_TAP", recorded.get(1).get("strategy").asText());
        assertEquals(0.40, recorded.get(1).get("validationAccuracy").asDouble(), 1e-12);
        assertEquals(1, recorded.get(2).get("rung").asInt());
        assertEquals(4, recorded.get(2).get("budget").asInt());
        assertEquals(20, recorded.get(0).get("validationImages").asInt());

        RunRecord.AdviceSummary summary = decision.summary(dir);
        assertEquals(3, summary.trials().size());
        assertEquals(0.10, summary.trials().get(0).validationAccuracy(), 1e-12);
        JsonNode run = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(summary));
        assertEquals("converged", run.at("/trials/2/budgetUnit").asText());
        assertEquals("res4f", run.at("/trials/1/tap").asText());

        // Without trials both say so with an empty list, and the text says nothing of trials.
        Advice plain = new Advice(Strategy.LINEAR_ON_CODES, "avgpool", null, new Advice.Cost(1, 80, null), List.of("x"));
        assertTrue(plain.trials().isEmpty());
        assertTrue(new AutoStrategy.Decision(report(plain), NextCommand.fitArguments(plain)).summary(dir).trials()
                .isEmpty());
        assertTrue(advice.describe().contains("chosen by trial"));
        assertEquals("rung 1: SVM_ON_EARLIER_TAP at res4f, trained to convergence on 40 images -> validation"
                + " accuracy 0.400 (20 images)", trials.get(2).toString());
        assertEquals("rung 0: SCRATCH at avgpool, 2 epochs on 40 images -> validation accuracy 0.100 (20 images)",
                trials.get(0).toString());
    }
}
