package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./tl4j launcher as a new user meets it: built or not, good or bad usage. */
class LauncherTest {

    @Test
    void unbuiltCheckoutNamesTheBuildCommand(@TempDir Path checkout) throws Exception {
        Path launcher = checkout.resolve("tl4j");
        Files.copy(Tl4jProcess.REPO_ROOT.resolve("tl4j"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        Tl4jProcess.Result result = Tl4jProcess.runLauncher(launcher, 30, "env");

        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("mvn -q -DskipTests package"), result.stderr());
        assertEquals(1, result.stderr().strip().lines().count(), "one line, got: " + result.stderr());
    }

    @Test
    void envReportsTheBackendAndNativeBuildLoaded() throws Exception {
        Tl4jProcess.Result result = Tl4jProcess.run(120, "env");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().matches("(?s).*backend\\s+CPU.*"), result.stdout());
        assertTrue(result.stdout().matches("(?s).*native\\.build\\s+linux-x86_64.*"), result.stdout());
        assertTrue(result.stdout().matches("(?s).*heap\\.max\\s+\\d+ MiB.*"), result.stdout());
    }

    @Test
    void unknownSubcommandIsBadUsageOnOneLine() throws Exception {
        Tl4jProcess.Result result = Tl4jProcess.run(60, "no-such-command");

        assertEquals(2, result.exitCode());
        assertEquals(1, result.stderr().strip().lines().count(), "one line, got: " + result.stderr());
        assertTrue(result.stderr().startsWith("tl4j: error:"), result.stderr());
    }

    @Test
    void helpListsTheSubcommands() throws Exception {
        Tl4jProcess.Result result = Tl4jProcess.run(60, "--help");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("env"), result.stdout());
    }
}
