package org.tl4j.cli;

import org.tl4j.progress.Progress;
import org.tl4j.zoo.safety.SafeModelLoader;
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

    /**
     * Loads model zips holding Java-serialised objects outside tl4j's allow-list or JSON naming classes outside
     * DL4J/ND4J/tl4j; process-wide, as the CLI runs one command per process.
     */
    @Option(names = "--trust-model", description = "Load model zips even when they hold Java-serialised objects"
            + " or classes tl4j does not allow (only for files you made or trust).")
    void trustModel(boolean trust) {
        SafeModelLoader.trustModelsInThisProcess(trust);
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }
}
