package org.tl4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception thrown by a command into one line on stderr and an exit code; stack trace only with --verbose. */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || (parseResult.subcommand() != null && anyVerbose(parseResult));
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException) {
            message = "file or folder not found: " + ex.getMessage() + " (check the path)";
        }
        cli.getErr().println("tl4j: error: " + firstLine(message));
        if (verbose) {
            ex.printStackTrace(cli.getErr());
        } else if (!UserError.isExplained(ex)) {
            cli.getErr().println("tl4j: rerun with --verbose for the stack trace");
        }
        cli.getErr().flush();
        return UserError.isUserError(ex) ? ExitCodes.BAD_INPUT : ExitCodes.RUN_FAILURE;
    }

    private static boolean anyVerbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
