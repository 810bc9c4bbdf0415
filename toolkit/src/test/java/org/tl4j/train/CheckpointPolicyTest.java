package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tl4j.data.ImageFolderIterator;

/** When checkpoints are due and which ones retention keeps. */
class CheckpointPolicyTest {

    private static CheckpointState at(long iteration, Double score) {
        return new CheckpointState(iteration, 0, new ImageFolderIterator.Position(0, 0, 1, true),
                new CheckpointState.RandomState(1, 2, 3), null, score);
    }

    @Test
    void dueAfterNUpdatesOrMMinutesWhicheverComesFirst() {
        CheckpointPolicy policy = new CheckpointPolicy(100, Duration.ofMinutes(10), 3, true);
        assertFalse(policy.due(99, Duration.ofMinutes(9)));
        assertTrue(policy.due(100, Duration.ofSeconds(1)));
        assertTrue(policy.due(1, Duration.ofMinutes(10)));
        CheckpointPolicy timeOnly = new CheckpointPolicy(0, Duration.ofMinutes(5), 1, false);
        assertFalse(timeOnly.due(1_000_000, Duration.ofMinutes(4)));
        assertTrue(timeOnly.due(1, Duration.ofMinutes(5)));
    }

    @Test
    void aPolicyThatNeverCheckpointsOrKeepsNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(0, Duration.ZERO, 1, true));
        assertThrows(IllegalArgumentException.class, () -> CheckpointPolicy.everyUpdates(10, 0));
    }

    @Test
    void retentionDeletesAllButTheNewestKAndTheBest() {
        List<CheckpointState> all = List.of(at(10, 0.5), at(20, 0.2), at(30, 0.2), at(40, null), at(50, 0.9));
        assertEquals(List.of(30L, 10L), new CheckpointPolicy(1, Duration.ZERO, 2, true).toDelete(all).stream()
                .map(CheckpointState::iteration).toList(), "keeps 50, 40 and the earliest best (20)");
        assertEquals(List.of(30L, 20L, 10L), new CheckpointPolicy(1, Duration.ZERO, 2, false).toDelete(all).stream()
                .map(CheckpointState::iteration).toList());
        assertEquals(List.of(), new CheckpointPolicy(1, Duration.ZERO, 9, true).toDelete(all));
    }
}
