package org.tl4j.datasets;

/**
 * Where long runs report how far they got. The datasets module has no logging dependency: the caller
 * (the CLI) decides whether progress goes to the terminal.
 */
@FunctionalInterface
public interface Progress {

    /** Ignores everything (for --quiet and for tests). */
    Progress SILENT = message -> { };

    /** One line of progress, e.g. "fashion-mnist: 35000/70000 images written". */
    void report(String message);
}
