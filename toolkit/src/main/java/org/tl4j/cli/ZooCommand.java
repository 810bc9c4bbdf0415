package org.tl4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo}: groups the commands about pretrained models (adapters). */
@Command(name = "zoo",
        mixinStandardHelpOptions = true,
        description = "Pretrained models: list the adapters, show one's layers, taps, groups and costs, fetch, import"
                + " and verify their weight files.",
        subcommands = {
                ZooListCommand.class,
                ZooInfoCommand.class,
                ZooFetchCommand.class,
                ZooImportCommand.class,
                ZooVerifyCommand.class,
        })
final class ZooCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a zoo subcommand is required (list, info, fetch, import, verify)");
    }
}
