package org.tl4j.acceptance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./tl4j} launcher as a user would, with a time limit, and captures what it printed. */
final class Tl4jProcess {

    /** The repository root: src-test's parent (Surefire runs in the module folder). */
    static final Path REPO_ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    record Result(int exitCode, String stdout, String stderr) {
    }

    private Tl4jProcess() {
    }

    static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return runLauncher(REPO_ROOT.resolve("tl4j"), timeoutSeconds, args);
    }

    static Result runLauncher(Path launcher, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return runLauncher(launcher, java.util.Map.of(), timeoutSeconds, args);
    }

    /** Runs ./tl4j with extra environment variables. */
    static Result runWithEnv(java.util.Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return runLauncher(REPO_ROOT.resolve("tl4j"), env, timeoutSeconds, args);
    }

    static Result runLauncher(Path launcher, java.util.Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tl4j-out", ".txt");
        Path err = Files.createTempFile("tl4j-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./tl4j " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
