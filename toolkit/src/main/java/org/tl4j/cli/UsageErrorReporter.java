package org.tl4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Bad usage: one line naming the problem and where to read the help, exit code 2 (no wall of usage text). */
final class UsageErrorReporter implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        String command = cli.getCommandSpec().qualifiedName(" ");
        cli.getErr().println("tl4j: error: " + ex.getMessage() + " (see: " + command + " --help)");
        cli.getErr().flush();
        return ExitCodes.BAD_INPUT;
    }
}
