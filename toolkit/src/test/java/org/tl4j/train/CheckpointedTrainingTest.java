package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.ImageFolderIterator;

/** The loop's triggers: checkpoints by wall time, validation scores for keep-best, early stopping across a resume. */
class CheckpointedTrainingTest {

    @TempDir
    static Path shared;
    private static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void images() throws IOException {
        data = shared.resolve("images");
        CheckpointTestRun.writeImageFolder(data);
    }

    @Test
    void aTimeOnlyPolicyCheckpointsEveryMMinutes() throws IOException {
        AtomicLong clock = new AtomicLong();
        Checkpoints store = new Checkpoints(dir, new CheckpointPolicy(0, Duration.ofMinutes(2), 10, false));
        CheckpointedTraining training = new CheckpointedTraining(store, clock::get)
                .listener(iteration -> clock.addAndGet(Duration.ofSeconds(50).toNanos()));
        CheckpointedTraining.Result result;
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            result = training.run(CheckpointTestRun::freshGraph, iterator, null, 8);
        }
        // 50 s per update: due after updates 3 and 6 (150 s since the last), plus the final one at 8.
        assertEquals(List.of(3L, 6L, 8L), store.list().stream().map(CheckpointState::iteration).toList());
        assertEquals(3, result.checkpoints());
    }

    @Test
    void validationScoresKeepTheBestAndEarlyStoppingStaysStoppedAfterARestart() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(2, 1));
        // Scores by iteration: best at 4, then worse; patience 4 grows to 8 at the significant improvement at 4.
        double[] scores = {0, 0, 0.9, 0, 0.5, 0, 0.7, 0, 0.8, 0, 0.9};
        CheckpointedTraining training = new CheckpointedTraining(store)
                .validation(graph -> scores[graph.getIterationCount()]);
        GrowingPatience patience = new GrowingPatience(4, 2, 0.995);
        CheckpointedTraining.Result result;
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            result = training.run(CheckpointTestRun::freshGraph, iterator, patience, 10);
        }
        assertEquals(8, result.graph().getIterationCount(), "early stopping ends the run at its patience");
        assertEquals(4, patience.bestIteration());
        assertEquals(List.of(4L, 8L), store.list().stream().map(CheckpointState::iteration).toList(),
                "the newest and the best");
        assertEquals(0.5, store.list().get(0).score());

        GrowingPatience restarted = new GrowingPatience(4, 2, 0.995);
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            result = training.run(CheckpointTestRun::freshGraph, iterator, restarted, 10);
        }
        assertEquals(0, result.updates(), "a run that early stopping ended does not train on when restarted");
        assertEquals(patience.snapshot(), restarted.snapshot());
        assertTrue(result.resumedFrom().isPresent());
    }
}
