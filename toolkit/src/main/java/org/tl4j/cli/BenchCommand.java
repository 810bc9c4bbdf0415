package org.tl4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl4j bench}: benchmarks that print speed and memory figures. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print speed and memory figures.",
        subcommands = {
                BenchIterateCommand.class,
                BenchFeaturizeCommand.class,
                BenchCodesCommand.class,
                BenchEnginesCommand.class,
                BenchTransferCommand.class,
                BenchPipelineCommand.class,
                BenchFeEndToEndCommand.class,
                BenchBatchSweepCommand.class,
        })
final class BenchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
