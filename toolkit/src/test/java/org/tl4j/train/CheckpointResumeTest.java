package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.ImageFolderIterator;

/**
 * Exact resume: a run interrupted after K updates and resumed from its checkpoint ends with exactly the weights of
 * a run never interrupted (max |difference| = 0), in the same process and after a SIGKILL of a real training
 * process. The run (CheckpointTestRun) has BatchNorm, Nesterov momentum, a step schedule and per-epoch shuffling,
 * so losing any of the updater state, the iteration count or the data position would show.
 */
class CheckpointResumeTest {

    private static final long TOTAL = 17;
    private static final long INTERRUPTED_AT = 7; // mid-epoch: epoch 1, batch 2 of 5

    @TempDir
    static Path shared;
    private static Path data;
    private static INDArray uninterrupted;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        data = shared.resolve("images");
        CheckpointTestRun.writeImageFolder(data);
        ComputationGraph graph = CheckpointTestRun.freshGraph();
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            CheckpointTestRun.trainStraight(graph, iterator, TOTAL);
        }
        uninterrupted = graph.params().dup();
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    @Test
    void resumingInProcessFromACheckpointEndsWithTheUninterruptedWeights() throws IOException {
        Checkpoints store = new Checkpoints(dir.resolve("checkpoints"), CheckpointPolicy.everyUpdates(100, 2));
        INDArray atInterruption;
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            ComputationGraph graph = CheckpointTestRun.freshGraph();
            CheckpointTestRun.trainStraight(graph, iterator, INTERRUPTED_AT);
            store.save(graph, Checkpoints.capture(graph, iterator, null, null));
            atInterruption = graph.params().dup();
        }
        CheckpointState.RandomState savedRandom = store.latest().orElseThrow().state().random();
        Nd4j.getRandom().setSeed(12345); // whatever the process did since, the checkpoint puts ND4J's generator back

        CheckpointedTraining.Result result;
        try (ImageFolderIterator fresh = CheckpointTestRun.iterator(data)) {
            result = new CheckpointedTraining(store).run(() -> {
                throw new AssertionError("must resume, not start over");
            }, fresh, null, TOTAL);
        }
        assertEquals(INTERRUPTED_AT, result.resumedFrom().orElseThrow().state().iteration());
        assertEquals(TOTAL - INTERRUPTED_AT, result.updates());
        // No dropout in this net, so training draws nothing from ND4J's generator: it is where the checkpoint put it.
        assertEquals(savedRandom, CheckpointState.RandomState.capture());
        assertEquals(TOTAL, result.graph().getIterationCount());
        assertEquals(3, result.graph().getEpochCount(), "17 updates of 5-batch epochs complete 3 epochs");
        double difference = maxAbsDifference(uninterrupted, result.graph().params());
        System.out.println("in-process resume after " + INTERRUPTED_AT + " of " + TOTAL
                + " updates: max |difference| = " + difference);
        assertEquals(0.0, difference, 0.0, "resumed weights differ from the uninterrupted run's");
        assertTrue(maxAbsDifference(atInterruption, result.graph().params()) > 1e-3,
                "the resumed run trained on (else the comparison proves nothing)");

        // The comparison notices a lost momentum: the same resume without the updater state ends elsewhere.
        ComputationGraph noMomentum = ModelSerializer.restoreComputationGraph(
                dir.resolve("checkpoints/checkpoint-0000000007.zip").toFile(), false);
        try (ImageFolderIterator again = CheckpointTestRun.iterator(data)) {
            again.seek(new ImageFolderIterator.Position(1, 2, CheckpointTestRun.SEED, true));
            CheckpointTestRun.trainStraight(noMomentum, again, TOTAL);
        }
        assertTrue(maxAbsDifference(uninterrupted, noMomentum.params()) > 0,
                "without the updater state the resumed run should differ");
    }

    @Test
    void theResNet50SmallAdapterResumesExactlyToo() throws IOException {
        long total = 7;
        long interruptedAt = 3;
        org.tl4j.zoo.spec.InputSpec input = CheckpointTestRun.resNetSpec().input();
        ComputationGraph straight = CheckpointTestRun.smallResNet();
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data, input)) {
            CheckpointTestRun.trainStraight(straight, iterator, total);
        }
        Checkpoints store = new Checkpoints(dir.resolve("checkpoints"), CheckpointPolicy.everyUpdates(100, 1));
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data, input)) {
            ComputationGraph graph = CheckpointTestRun.smallResNet();
            CheckpointTestRun.trainStraight(graph, iterator, interruptedAt);
            store.save(graph, Checkpoints.capture(graph, iterator, null, null));
        }
        CheckpointedTraining.Result result;
        try (ImageFolderIterator fresh = CheckpointTestRun.iterator(data, input)) {
            result = new CheckpointedTraining(store).run(() -> {
                throw new AssertionError("must resume, not start over");
            }, fresh, null, total);
        }
        double difference = maxAbsDifference(straight.params(), result.graph().params());
        System.out.println("resnet50-small resume after " + interruptedAt + " of " + total
                + " updates: max |difference| = " + difference);
        assertEquals(0.0, difference, 0.0, "resumed resnet50-small weights differ from the uninterrupted run's");
    }

    @Test
    void aKilledTrainingProcessResumesInANewProcessToTheUninterruptedWeights() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path out = dir.resolve("final-params.bin");
        Path log1 = dir.resolve("first.log");
        Process first = start(checkpoints, out, 300, log1);
        // Wait for the first complete checkpoint (its sidecar), then a little more: the kill lands mid-run,
        // possibly while the next checkpoint is being written.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sidecars(checkpoints).isEmpty()) {
            assertTrue(first.isAlive(), "the training process ended early:\n" + Files.readString(log1));
            assertTrue(System.nanoTime() < deadline, "no checkpoint after 60 s:\n" + Files.readString(log1));
            Thread.sleep(50);
        }
        Thread.sleep(300);
        assertTrue(first.isAlive(), "the process must still be training when killed:\n" + Files.readString(log1));
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        first.waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(out), "the killed run must not have finished");
        String killedLog = Files.readString(log1);

        Path log2 = dir.resolve("second.log");
        Process second = start(checkpoints, out, 0, log2);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the resumed run did not finish");
        String resumedLog = Files.readString(log2);
        assertEquals(0, second.exitValue(), resumedLog);
        assertTrue(resumedLog.contains("resumed from "), resumedLog);
        assertFalse(resumedLog.contains("resumed from nothing"), "the second process started over:\n" + resumedLog);

        INDArray resumed = Nd4j.readBinary(out.toFile());
        double difference = maxAbsDifference(uninterrupted, resumed);
        System.out.println("killed after: " + lastUpdate(killedLog) + "; " + lastLine(resumedLog)
                + "; max |difference| = " + difference);
        assertEquals(0.0, difference, 0.0, "weights after kill + resume differ from the uninterrupted run's");
    }

    private Process start(Path checkpoints, Path out, long sleepMillis, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                CheckpointedTrainingMain.class.getName(),
                data.toString(), checkpoints.toString(), String.valueOf(TOTAL), "3", String.valueOf(sleepMillis),
                out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<Path> sidecars(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.json")).toList();
        }
    }

    private static String lastUpdate(String log) {
        return log.lines().filter(l -> l.startsWith("update ")).reduce((a, b) -> b).orElse("no update");
    }

    private static String lastLine(String log) {
        return log.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
    }
}
