package org.tl4j.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes; mixed in with {@code @Mixin}. */
public final class CommonOptions {

    @Option(names = "--verbose", description = "Print stack traces and detailed logs.")
    boolean verbose;

    @Option(names = "--quiet", description = "Print only results and errors, no progress.")
    boolean quiet;

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }
}
