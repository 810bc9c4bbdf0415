package org.tl4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl4j datasets}: groups the commands that turn real data into image folders. */
@Command(name = "datasets",
        mixinStandardHelpOptions = true,
        description = "Prepare real datasets (Fashion-MNIST, OpenCV digits, rendered font glyphs) as PNG folders.",
        subcommands = {
                DatasetsPrepareCommand.class,
        })
final class DatasetsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required, e.g. datasets prepare fashion-mnist --out DIR");
    }
}
