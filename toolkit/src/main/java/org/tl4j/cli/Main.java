package org.tl4j.cli;

import org.tl4j.progress.Progress;
import org.tl4j.zoo.arch.LayerHelpers;
import picocli.CommandLine;

/** Entry point of {@code ./tl4j}: builds the command tree and maps failures to exit codes. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI in this JVM and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        // Each run starts from the default; --quiet (CommonOptions) turns progress off for that run only.
        Progress.setMode(Progress.Mode.AUTO);
        LayerHelpers.enableUnlessUserChose();
        return newCommandLine().execute(args);
    }

    /** The fully wired command line, also used by tests that parse arguments without running anything. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Tl4jCommand());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setParameterExceptionHandler(new UsageErrorReporter());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
