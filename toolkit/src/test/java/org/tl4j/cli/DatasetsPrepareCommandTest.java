package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

class DatasetsPrepareCommandTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheSubsetOptions() {
        ParseResult parsed = Main.newCommandLine().parseArgs("datasets", "prepare", "digits", "--out", "x",
                "--classes", "5-9", "--per-class", "10", "--seed", "3", "--test-fraction", "0.2");
        ParseResult prepare = parsed.subcommand().subcommand();
        assertEquals("prepare", prepare.commandSpec().name());
        assertEquals("5-9", prepare.matchedOptionValue("--classes", ""));
        assertEquals(10, (int) prepare.matchedOptionValue("--per-class", 0));
        assertEquals(0.2, prepare.matchedOptionValue("--test-fraction", 0.0), 1e-9);
    }

    @Test
    void unknownDatasetIsABadInput() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("datasets", "prepare", "imagenet", "--out", dir.resolve("x").toString()));
    }

    @Test
    void optionOfAnotherDatasetIsRejectedNotIgnored() {
        Path out = dir.resolve("x");
        assertEquals(ExitCodes.BAD_INPUT, Main.run("datasets", "prepare", "fashion-mnist", "--out", out.toString(),
                "--test-fraction", "0.2"));
        assertEquals(ExitCodes.BAD_INPUT, Main.run("datasets", "prepare", "digits", "--out", out.toString(), "--max-fonts", "3"));
        assertFalse(Files.exists(out), "nothing is written when the options are wrong");
    }

    @Test
    void missingOutIsAUsageError() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("datasets", "prepare", "digits"));
    }
}
