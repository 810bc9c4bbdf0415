package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * fit's stop-at-accuracy criterion on the tiny generated folder (3 classes x 6 images, resnet50-small from a
 * seeded initialisation, validation after every update): a run with the criterion is the same run as one
 * without it up to the first evaluation at or above the target, and stops there with reason
 * {@code target-reached}. Also: run.json splits each evaluation's time into training and validation.
 */
class StopAtAccuracyTest {

    @TempDir
    Path temp;

    private FitOptions.Builder options(Path data) {
        return FitOptions.builder(data, "resnet50-small", Strategy.SCRATCH).batch(4).maxEpochs(2).evalEvery(1)
                .earlyStopping(false).optimizer(new Optimizer(Optimizer.Method.ADAM, 0, 1e-4)).learningRate(3e-3);
    }

    private RunRecord fit(FitOptions options, String name) throws IOException {
        return new TransferTraining(options, WeightSettings.fromEnvironment().withCacheDir(temp.resolve("weights")),
                temp.resolve("features")).progress(false).fit(temp.resolve(name), false).run();
    }

    @Test
    void stopsAtTheFirstEvaluationAtOrAboveTheTargetAndRecordsWhy() throws IOException {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        RunRecord full = fit(options(data).build(), "full");
        List<RunRecord.EvaluationPoint> history = full.history();
        assertEquals("max-epochs", full.stopping().reason());
        double previous = 0;
        for (RunRecord.EvaluationPoint p : history) {
            // run.json splits each evaluation's time into training and validation (+ checkpoints)
            assertNotNull(p.evalSeconds());
            assertTrue(p.evalSeconds() > previous && p.evalSeconds() < p.seconds(), p.toString());
            previous = p.evalSeconds();
        }
        // The target: the best accuracy the full run reaches; the criterion must stop at its first occurrence.
        double target = history.stream().mapToDouble(RunRecord.EvaluationPoint::valAccuracy).max().orElseThrow();
        assertTrue(target > 0, "the tiny run should get some validation image right: " + history);
        int first = 0;
        while (history.get(first).valAccuracy() < target) {
            first++;
        }

        RunRecord stopped = fit(options(data).stopAtAccuracy(target).build(), "stopped");

        assertEquals("target-reached", stopped.stopping().reason());
        assertEquals(first + 1, stopped.history().size(), "one evaluation per update up to the first hit");
        assertEquals(history.get(first).update(), stopped.stopping().update());
        for (int i = 0; i <= first; i++) {
            assertEquals(history.get(i).valAccuracy(), stopped.history().get(i).valAccuracy(), 0.0,
                    "the criterion must not change the run before it stops (evaluation " + i + ")");
        }
        assertEquals(target, stopped.settings().stopAtAccuracy());
        if (first + 1 < history.size()) {
            assertTrue(stopped.stopping().update() < full.stopping().update(), "it stopped early");
        }
    }

    @Test
    void aTargetOutsideZeroToOneIsAUserError() {
        Path data = temp.resolve("data");
        for (double bad : new double[] {0.0, -0.5, 1.5, Double.NaN}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> options(data).stopAtAccuracy(bad).build());
            assertTrue(e.getMessage().contains("--stop-at-accuracy must be in (0, 1]"), e.getMessage());
        }
    }
}
