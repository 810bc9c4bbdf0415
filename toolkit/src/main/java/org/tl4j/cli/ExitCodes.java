package org.tl4j.cli;

/** The CLI's exit codes, the same for every subcommand. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command started but the run failed (a bug, an environment problem, a failed computation). */
    public static final int RUN_FAILURE = 1;
    /** Bad usage or bad input: the user can fix it; the message says how. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
