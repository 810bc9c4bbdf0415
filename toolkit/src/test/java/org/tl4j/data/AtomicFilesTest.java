package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic artifact writes: SIGKILLed writers leave old or new files, never half; a full disk keeps the old file. */
class AtomicFilesTest {

    private static final long KILL_SEED = 20261127L;

    @TempDir
    Path dir;

    @Test
    void hundredKilledSavesLeaveHundredWholeFiles() throws Exception {
        List<Trial> trials = killSaves(100, "atomic");

        long whole = trials.stream().filter(t -> t.versionAfter >= 0).count();
        long advanced = trials.stream().filter(t -> t.versionAfter > 0).count();
        long midWrite = trials.stream().filter(t -> t.tempFilesLeft > 0).count();
        System.out.printf("100 SIGKILLed savers: %d whole files (%d at a new version, %d still the old one);"
                + " %d kills landed mid-write (temp file left)%n", whole, advanced, whole - advanced, midWrite);
        assertEquals(100, whole, "some killed saves left a half-written file: " + trials);
        assertTrue(advanced > 0, "no child got to replace its file: the kills came too early to test anything");
    }

    @Test
    void controlWritingInPlaceIsCaughtHalfWritten() throws Exception {
        // Proves the kills land mid-write: the same child writing in place leaves damaged files.
        List<Trial> trials = killSaves(20, "in-place");

        long damaged = trials.stream().filter(t -> t.versionAfter < 0).count();
        System.out.printf("control, 20 SIGKILLed in-place writers: %d damaged files%n", damaged);
        assertTrue(damaged > 0, "no in-place write was caught half-way; the kill test above would prove nothing");
    }

    @Test
    void fullDiskGivesAClearErrorAndKeepsTheEarlierFile() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String mountOutput = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mounting.waitFor() == 0,
                "cannot mount a small tmpfs (needs root and CAP_SYS_ADMIN): " + mountOutput.strip());
        try {
            Path artifact = mount.resolve("splits.json");
            byte[] earlier = "{\"earlier\":true}".getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(artifact, out -> out.write(earlier));

            ArtifactWriteException e = assertThrows(ArtifactWriteException.class,
                    () -> AtomicFiles.write(artifact, out -> out.write(new byte[1 << 20])));

            System.out.println("full disk: " + e.getMessage());
            assertTrue(e.getMessage().contains(artifact.toString()) && e.getMessage().contains("No space left")
                    && e.getMessage().contains("unchanged"), e.getMessage());
            assertArrayEquals(earlier, Files.readAllBytes(artifact));
            try (Stream<Path> files = Files.list(mount)) {
                assertEquals(List.of(artifact), files.toList(), "the temporary file is removed");
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    /** One killed child: the version its file holds afterwards (-1: damaged) and the temp files it left. */
    private record Trial(int index, long killAfterMillis, long versionAfter, long tempFilesLeft) {
    }

    private List<Trial> killSaves(int count, String mode) throws Exception {
        Random random = new Random(KILL_SEED);
        long[] delays = new long[count];
        for (int i = 0; i < count; i++) {
            delays[i] = random.nextInt(120);
        }
        // Two children at a time: the machine has two cores, and each child spends its life writing.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Trial>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> killOne(index, delays[index], mode)));
            }
            List<Trial> trials = new ArrayList<>();
            for (Future<Trial> future : futures) {
                trials.add(future.get(120, TimeUnit.SECONDS));
            }
            return trials;
        } finally {
            pool.shutdownNow();
        }
    }

    private Trial killOne(int index, long delayMillis, String mode) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(mode + "-" + index));
        Path target = folder.resolve("artifact.bin");
        AtomicWriteChild.write(target, 0);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), AtomicWriteChild.class.getName(), target.toString(), mode)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("writing", line, "child " + index + " did not start");
            Thread.sleep(delayMillis);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks in the child
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long temps;
        try (Stream<Path> files = Files.list(folder)) {
            temps = files.filter(f -> f.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX)).count();
        }
        return new Trial(index, delayMillis, AtomicWriteChild.read(target), temps);
    }
}
