package org.tl4j.progress;

import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Progress of long steps (scanning, featurizing, epochs, LR search): a bar with rate and ETA on a terminal, plain
 * lines with the same figures when the output is a file or a pipe, nothing under {@code --quiet}.
 *
 * <pre>{@code
 * try (ProgressTask task = Progress.start("featurizing", images)) {
 *     for (...) { ...; task.step(); }
 * }
 * }</pre>
 *
 * The mode is process-wide because progress is a property of how the program was started (terminal or not,
 * {@code --quiet} or not), not of the library call that reports it; the CLI sets it once per command.
 */
public final class Progress {

    /** How progress is shown. */
    public enum Mode {
        /** A bar when {@link System#console()} says stdout/stderr is a terminal, lines otherwise. */
        AUTO,
        /** Always a bar (on stderr). */
        BAR,
        /** Always plain lines. */
        LINES,
        /** Nothing (counts are still kept). */
        OFF
    }

    /** Seconds between two progress lines in {@link Mode#LINES}: frequent enough to see life, rare enough for logs. */
    static final double LINE_INTERVAL_SECONDS = 5;

    private static volatile Mode mode = Mode.AUTO;
    private static volatile Consumer<String> lineSink = Progress::logLine;

    private Progress() {
    }

    /** Sets how progress is shown from now on, for every thread. */
    public static void setMode(Mode newMode) {
        mode = Objects.requireNonNull(newMode, "mode");
    }

    /** The mode set last ({@link Mode#AUTO} unless changed). */
    public static Mode mode() {
        return mode;
    }

    /** What the CLI calls: {@code --quiet} turns progress off, otherwise bar or lines depending on the terminal. */
    public static void configureForCli(boolean quiet) {
        setMode(quiet ? Mode.OFF : Mode.AUTO);
    }

    /**
     * Starts a task of {@code total} steps (0 or less when unknown). Close it when done (try-with-resources): a
     * bar is finished and a last line with the total time is written.
     */
    public static ProgressTask start(String name, long total) {
        return switch (effectiveMode()) {
            case BAR -> new BarTask(name, total, System.err);
            case LINES -> new LineTask(name, total, lineSink, LINE_INTERVAL_SECONDS);
            case OFF, AUTO -> new CountingTask(name, total);
        };
    }

    /** A task that only counts, whatever the mode; for callers whose own options turned progress off. */
    public static ProgressTask silent(String name, long total) {
        return new CountingTask(name, total);
    }

    /** {@link #start} with progress lines sent to {@code sink} every {@code intervalSeconds}; for tests. */
    static ProgressTask startLines(String name, long total, Consumer<String> sink, double intervalSeconds) {
        return new LineTask(name, total, sink, intervalSeconds);
    }

    /** The mode with AUTO resolved against the current terminal. */
    static Mode effectiveMode() {
        Mode m = mode;
        if (m != Mode.AUTO) {
            return m;
        }
        // System.console() is null when stdin or stdout is redirected: the bar's carriage returns would fill a
        // log file with one "line" per redraw, so lines are used then.
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    private static void logLine(String line) {
        org.slf4j.LoggerFactory.getLogger(Progress.class).info(line);
    }

    /** Where a bar is drawn; package-private for tests that draw into a buffer. */
    static ProgressTask startBar(String name, long total, PrintStream out) {
        return new BarTask(name, total, out);
    }
}
