package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety and determinism of {@code ./tl4j fit} (alexnet-small from scratch on 60 tiny images, CPU):
 * <ul>
 * <li>two uninterrupted runs with the same seed give byte-identical weights and metrics;</li>
 * <li>SIGKILL at random moments (seeded; anywhere from data scanning through batches, evaluations, checkpoint
 * writes and the final save), each followed by {@code --resume}, ends with the same weights as the
 * uninterrupted run (maximum absolute difference 0: the coefficient bytes are equal);</li>
 * <li>the newest checkpoint corrupted by hand: resume says it falls back to the previous one, and still ends
 * with the same weights.</li>
 * </ul>
 * The number of kills is {@code -Dtl4j.kills}: 10 by default to keep the suite short (each kill costs a JVM and
 * ND4J start); RELIABILITY.md's figure was measured with 20. Prints the time and the moments it killed at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FitKillResumeTest {

    private static final long KILL_SEED = 1127L;
    private static final int KILLS = Integer.getInteger("tl4j.kills", 10);

    /** Static: JUnit fills instance {@code @TempDir} fields only after {@code @BeforeAll} has run. */
    @TempDir
    static Path dir;
    private Path data;
    private byte[] referenceWeights;
    private String referenceMetrics;
    private double referenceSeconds;

    @BeforeAll
    void trainTheReference() throws Exception {
        data = dir.resolve("data");
        Random random = new Random(3);
        for (String label : new String[] {"red", "green"}) {
            Path folder = Files.createDirectories(data.resolve(label));
            int base = label.equals("red") ? 0xC81E1E : 0x1EC81E;
            for (int i = 0; i < 30; i++) {
                BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        image.setRGB(x, y, base ^ random.nextInt(0x30) ^ (random.nextInt(0x30) << 8));
                    }
                }
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        long start = System.nanoTime();
        Tl4jProcess.Result reference = Tl4jProcess.run(600, fitArguments(dir.resolve("reference")));
        referenceSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, reference.exitCode(), reference.stderr());
        referenceWeights = coefficients(dir.resolve("reference"));
        referenceMetrics = Files.readString(dir.resolve("reference/metrics.json"));
        System.out.printf("reference fit: %.1f s (load %s)%n", referenceSeconds, load());
    }

    private String[] fitArguments(Path out) {
        return new String[] {"fit", "--data", data.toString(), "--model", "alexnet-small", "--strategy", "scratch",
            "--lr", "0.001", "--batch", "4", "--max-epochs", "2", "--eval-every", "3", "--seed", "7",
            "--no-early-stopping", "--resume", "--out", out.toString()};
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndMetrics() throws Exception {
        Tl4jProcess.Result again = Tl4jProcess.run(600, fitArguments(dir.resolve("again")));

        assertEquals(0, again.exitCode(), again.stderr());
        assertArrayEquals(referenceWeights, coefficients(dir.resolve("again")), "weights differ between runs");
        assertEquals(referenceMetrics, Files.readString(dir.resolve("again/metrics.json")));
    }

    @Test
    void killedAtRandomMomentsAndResumedEndsWithTheUninterruptedWeights() throws Exception {
        Random random = new Random(KILL_SEED);
        List<String> moments = new ArrayList<>();
        long start = System.nanoTime();
        int runs = 0;
        while (moments.size() < KILLS) {
            Path out = dir.resolve("killed-" + runs++);
            // Kill the same run folder again and again until it finishes on its own, then check it.
            while (moments.size() < KILLS) {
                double fraction = random.nextDouble();
                Killed killed = runAndKill(out, fraction);
                if (killed == null) {
                    break;
                }
                moments.add(killed.lastLine);
            }
            if (!isFinished(out)) {
                Tl4jProcess.Result finish = Tl4jProcess.run(600, fitArguments(out));
                assertEquals(0, finish.exitCode(), out + ": " + finish.stderr());
            }
            assertArrayEquals(referenceWeights, coefficients(out), out + " ended with other weights; the kills so"
                    + " far came after: " + moments);
            assertEquals(referenceMetrics, Files.readString(out.resolve("metrics.json")), out.toString());
        }
        System.out.printf("%d SIGKILLs over %d runs, every resume ended with the reference weights (max |diff| 0);"
                + " %.1f s (load %s)%n", moments.size(), runs, (System.nanoTime() - start) / 1e9, load());
        moments.forEach(m -> System.out.println("  killed after: " + m));
    }

    @Test
    void corruptedNewestCheckpointFallsBackToThePreviousOneAndSaysSo() throws Exception {
        Path out = dir.resolve("corrupted");
        Path checkpoints = out.resolve("checkpoints");
        // Kill once two checkpoints exist.
        Killed killed = runAndKillWhen(out, () -> countCheckpoints(checkpoints) >= 2);
        assertTrue(killed != null, "the run finished before it had two checkpoints");
        Path newest;
        try (Stream<Path> files = Files.list(checkpoints)) {
            newest = files.filter(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.zip"))
                    .max(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(newest, bytes);

        Tl4jProcess.Result resumed = Tl4jProcess.run(600, fitArguments(out));

        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stderr().contains("skipping checkpoint " + newest)
                && resumed.stderr().contains("falling back to the previous one"), resumed.stderr());
        assertArrayEquals(referenceWeights, coefficients(out));
    }

    private record Killed(String lastLine) {
    }

    /**
     * Starts the fit and SIGKILLs it a random fraction of the reference run's time after it has scanned the data;
     * null when it finished first.
     */
    private Killed runAndKill(Path out, double fraction) throws Exception {
        long[] armed = {0};
        long delayNanos = (long) (fraction * referenceSeconds * 0.8e9);
        return runAndKillWhen(out, () -> armed[0] != 0 && System.nanoTime() - armed[0] >= delayNanos, line -> {
            if (armed[0] == 0 && (line.contains("scanned") || line.contains("resuming from"))) {
                armed[0] = System.nanoTime();
            }
        });
    }

    private Killed runAndKillWhen(Path out, Condition condition) throws Exception {
        return runAndKillWhen(out, condition, line -> { });
    }

    private Killed runAndKillWhen(Path out, Condition condition, java.util.function.Consumer<String> onLine)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Tl4jProcess.REPO_ROOT.resolve("tl4j").toString());
        command.addAll(List.of(fitArguments(out)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        AtomicReference<String> last = new AtomicReference<>("(start-up)");
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    last.set(line.length() > 120 ? line.substring(0, 120) : line);
                    onLine.accept(line);
                }
            } catch (IOException closed) {
                // The process was killed: its output ends here.
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        try {
            while (process.isAlive()) {
                if (condition.holds()) {
                    process.destroyForcibly(); // SIGKILL: the JVM gets no chance to clean up
                    process.waitFor(60, TimeUnit.SECONDS);
                    reader.join(5_000);
                    return new Killed(last.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("fit in " + out + " did not finish in 600 s");
                }
                Thread.sleep(5);
            }
        } finally {
            process.destroyForcibly();
        }
        reader.join(5_000);
        assertEquals(0, process.exitValue(), out + " failed on its own; last line: " + last.get());
        return null;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    /** run.json written and every checkpoint deleted: the run's last steps. */
    private static boolean isFinished(Path run) throws IOException {
        Path checkpoints = run.resolve("checkpoints");
        if (!Files.exists(run.resolve("run.json"))) {
            return false;
        }
        if (!Files.isDirectory(checkpoints)) {
            return true;
        }
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.noneMatch(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.zip"));
        }
    }

    private static long countCheckpoints(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.json")).count();
        }
    }

    /** The parameter bytes of a run's model.zip: equal bytes mean a maximum absolute difference of 0. */
    private static byte[] coefficients(Path run) throws IOException {
        try (ZipFile zip = new ZipFile(run.resolve("model.zip").toFile())) {
            return zip.getInputStream(zip.getEntry("coefficients.bin")).readAllBytes();
        }
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
