package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree parses without running, and every subcommand offers --help with defaults. */
class CliTest {

    @Test
    void everySubcommandHasHelp() {
        CommandLine cli = Main.newCommandLine();
        assertHelpEverywhere(cli);
    }

    private static void assertHelpEverywhere(CommandLine cli) {
        assertTrue(cli.getCommandSpec().mixinStandardHelpOptions(),
                cli.getCommandName() + " lacks --help/--version");
        cli.getSubcommands().values().forEach(CliTest::assertHelpEverywhere);
    }

    @Test
    void envParsesItsOptionsWithoutRunning() {
        CommandLine.ParseResult result = Main.newCommandLine().parseArgs("env", "--json", "--verbose");
        assertTrue(result.subcommand().hasMatchedOption("--json"));
    }

    @Test
    void unknownOptionIsRejectedAtParseTime() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> Main.newCommandLine().parseArgs("env", "--no-such-option"));
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("env", "--no-such-option");
        assertEquals(ExitCodes.BAD_INPUT, code);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void missingSubcommandIsBadUsage() {
        CommandLine cli = Main.newCommandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(ExitCodes.BAD_INPUT, cli.execute());
    }
}
