package org.tl4j.train;

import java.util.List;

/**
 * What the trainer keeps next to each checkpoint besides the model and {@link CheckpointState}: the evaluation
 * history, the divergence guard and whether the run had already stopped, so a resumed run writes the same run.json
 * and reacts to the next loss as the uninterrupted run would. Written to {@code trainer-<update>.json}.
 *
 * @param iteration the checkpoint's update
 * @param history   the evaluations so far
 * @param guard     the divergence guard's state
 * @param stopReason null while training goes on, else why it stopped
 */
record TrainerState(long iteration, List<RunRecord.EvaluationPoint> history, DivergenceGuard.Snapshot guard,
                    String stopReason) {
    TrainerState {
        history = List.copyOf(history);
    }
}
