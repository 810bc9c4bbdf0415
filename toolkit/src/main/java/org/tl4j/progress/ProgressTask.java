package org.tl4j.progress;

/** One long step being counted; thread-safe; close it when the step ends. */
public interface ProgressTask extends AutoCloseable {

    /** Counts one more unit done. */
    default void step() {
        stepBy(1);
    }

    /** Counts {@code n} more units done. */
    void stepBy(long n);

    /** A short status shown after the figures, e.g. {@code "loss 0.412"}; null clears it. */
    void status(String text);

    /** Units done so far. */
    long done();

    /** Seconds since the task started. */
    double elapsedSeconds();

    /** Ends the task: finishes the bar or writes the last line. Idempotent. */
    @Override
    void close();
}
