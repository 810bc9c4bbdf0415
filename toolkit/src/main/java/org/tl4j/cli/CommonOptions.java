package org.tl4j.cli;

import org.tl4j.progress.Progress;
import picocli.CommandLine.Option;

/** Options every subcommand takes; mixed in with {@code @Mixin}. */
public final class CommonOptions {

    @Option(names = "--verbose", description = "Print stack traces and detailed logs.")
    boolean verbose;

    boolean quiet;

    /** A setter so that progress output follows the option as soon as it is parsed, for every library call. */
    @Option(names = "--quiet", description = "Print only results and errors, no progress.")
    void setQuiet(boolean quiet) {
        this.quiet = quiet;
        Progress.configureForCli(quiet);
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }
}
