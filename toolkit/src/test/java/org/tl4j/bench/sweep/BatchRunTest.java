package org.tl4j.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tl4j.train.FitOptions;
import org.tl4j.train.RunRecord;
import org.tl4j.train.Strategy;

/** {@link BatchRun#of}: the figures of one batch size, from a run.json's history written out by hand. */
class BatchRunTest {

    /** A run of batch 32 on 100 training images (4 updates per epoch, the last of 4 images). */
    private static RunRecord run(String reason, List<RunRecord.EvaluationPoint> history) {
        FitOptions settings = FitOptions.builder(Path.of("data"), "resnet-small.glyphs", Strategy.FINE_TUNE).batch(32)
                .build();
        RunRecord.EvaluationPoint last = history.get(history.size() - 1);
        return new RunRecord(1, "resnet-small.glyphs", "fine-tune", null, null,
                new RunRecord.SplitsProvenance("splits.json", "layout", 1, 100, 20, 30, Map.of()), 1, settings,
                "avgpool", "none", "frozen", 0.001, null, null, List.of(), null, history,
                new RunRecord.Stopping(reason, last.update(), last.epoch(), 2, 0.1, "loss"), null,
                new RunRecord.TestSummary(30, 0.9, 5, 1.0, 0.3), "start", "end", 60.0);
    }

    private static RunRecord.EvaluationPoint point(long update, int epoch, double accuracy, double seconds,
                                                   double evalSeconds) {
        return new RunRecord.EvaluationPoint(update, epoch, 1.0, 1.0, accuracy, 1.0, "improved", 10, seconds,
                evalSeconds);
    }

    @Test
    void readsTheFirstEvaluationAtOrAboveTheTargetAndTheTrainingOnlyRate() {
        RunRecord run = run("target-reached", List.of(point(2, 0, 0.5, 10, 2), point(4, 1, 0.94, 20, 4),
                point(6, 1, 0.95, 30, 6)));

        BatchRun b = BatchRun.of(run, 0.95, 2, "1.0 1.0 1.0", "2.0 1.5 1.0", "runs/batch-32");

        assertTrue(b.reached());
        assertEquals(6, b.updatesToTarget());
        assertEquals(24.0, b.secondsToTarget(), 1e-12); // 30 s minus 6 s of validation
        assertEquals(30.0, b.wallSecondsToTarget(), 1e-12);
        // 6 updates = one epoch (100 images) + 2 batches of 32
        assertEquals(164, b.imagesTrained());
        assertEquals(1.64, b.epochsToTarget(), 1e-12);
        assertEquals(164 / 24.0, b.imagesPerSecond(), 1e-12);
        assertEquals(4, b.updatesPerEpoch());
        assertEquals(0.95, b.bestValAccuracy());
        assertEquals(0.9, b.testAccuracy());
        assertEquals("target-reached", b.stopReason());
        assertEquals(0.001, b.learningRate());
        assertEquals("2.0 1.5 1.0", b.loadAtEnd());
        // 0.80, 0.85 and 0.90 first reached at update 4 (0.94), the target at update 6
        assertEquals(List.of(0.80, 0.85, 0.90, 0.95), b.milestones().stream().map(BatchRun.Milestone::accuracy)
                .toList());
        assertEquals(new BatchRun.Milestone(0.90, true, 16.0, 4L, 1.0), b.milestones().get(2));
        assertEquals(new BatchRun.Milestone(0.95, true, 24.0, 6L, 1.64), b.milestones().get(3));
    }

    @Test
    void aRunThatNeverReachesTheTargetSaysSoAndStillHasItsRate() {
        RunRecord run = run("max-epochs", List.of(point(4, 1, 0.6, 10, 1), point(8, 2, 0.8, 20, 2)));

        BatchRun b = BatchRun.of(run, 0.95, 4, "1.0 1.0 1.0", "2.0 1.5 1.0", "runs/batch-32");

        assertFalse(b.reached());
        assertNull(b.secondsToTarget());
        assertNull(b.updatesToTarget());
        assertNull(b.epochsToTarget());
        assertEquals(200, b.imagesTrained());
        assertEquals(200 / 18.0, b.imagesPerSecond(), 1e-12);
        assertEquals(0.8, b.bestValAccuracy());
        assertEquals("max-epochs", b.stopReason());
        assertEquals(new BatchRun.Milestone(0.80, true, 18.0, 8L, 2.0), b.milestones().get(0));
        assertEquals(new BatchRun.Milestone(0.85, false, null, null, null), b.milestones().get(1));
    }

    @Test
    void imagesCountTheSmallerLastBatchOfEachEpoch() {
        assertEquals(0, BatchRun.images(0, 100, 32));
        assertEquals(96, BatchRun.images(3, 100, 32));
        assertEquals(100, BatchRun.images(4, 100, 32));
        assertEquals(132, BatchRun.images(5, 100, 32));
        assertEquals(1000, BatchRun.images(1, 1000, 1024));
    }

    @Test
    void aDivergedBatchIsARowOfItsOwnAndLeavesTheOthersInTheReport() throws Exception {
        BatchRun ok = BatchRun.of(run("target-reached", List.of(point(2, 0, 0.5, 10, 2), point(6, 1, 0.95, 30, 6))),
                0.95, 2, "1.0 1.0 1.0", "1.0 1.0 1.0", "runs/batch-32");
        BatchRun diverged = BatchRun.diverged(512, 0.016, 3290, 1, "5.0 5.0 5.0", "5.5 5.0 5.0", "runs/batch-512");
        assertTrue(diverged.isDiverged());
        assertEquals(7, diverged.updatesPerEpoch());
        java.util.Map<String, Object> sweep = new java.util.LinkedHashMap<>();
        sweep.put("batches", List.of(32, 512));
        sweep.put("targetAccuracy", 0.95);
        SweepReport.Results results = new SweepReport.Results(1, true, 1.0, sweep, Map.of(), List.of(ok, diverged));

        String md = SweepReport.markdown(results);

        assertTrue(md.contains("| 512 | 0.016 | 7 | – | diverged |"), md);
        assertTrue(md.contains("| 32 | 0.001 | 4 | 7 | 24.0 (30.0) | 6 | 1.64 |"), md);
        assertTrue(SweepReport.plot(results).length > 1000);
    }
}
