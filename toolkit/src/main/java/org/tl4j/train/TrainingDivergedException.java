package org.tl4j.train;

import java.util.List;

/** Training could not be kept stable: every rate tried diverged, or the divergence guard ran out of retries. */
public class TrainingDivergedException extends RuntimeException {

    private final transient List<?> history;

    public TrainingDivergedException(String message, List<?> history) {
        super(message);
        this.history = List.copyOf(history);
    }

    /** The probes or guard events that led here, for run.json. */
    public List<?> history() {
        return history;
    }
}
