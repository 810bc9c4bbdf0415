package org.tl4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code tl4j} command: only groups the subcommands. */
@Command(name = "tl4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Transfer learning for the JVM: inspect image folders, prepare datasets, adapt pretrained CNNs.",
        subcommands = {
                EnvCommand.class,
                ZooCommand.class,
                InspectCommand.class,
                SplitCommand.class,
                BenchCommand.class,
                DatasetsCommand.class,
                PredictCommand.class,
                ReportCommand.class,
                ExtractCommand.class,
                FitCommand.class,
                SvmCommand.class,
                AdviseCommand.class,
                ExportCommand.class,
                EvalCommand.class,
                LrFindCommand.class,
        })
public final class Tl4jCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
