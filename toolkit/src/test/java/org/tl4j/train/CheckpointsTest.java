package org.tl4j.train;

import org.tl4j.data.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.ImageFolderIterator;

/** Checkpoint files on disk: what the loader accepts, what it skips and says so, what retention keeps. */
class CheckpointsTest {

    private static ComputationGraph graph;

    @TempDir
    Path dir;

    @BeforeAll
    static void smallGraph() {
        graph = CheckpointTestRun.freshGraph();
    }

    private static CheckpointState state(long iteration, Double score) {
        return new CheckpointState(iteration, 0, new ImageFolderIterator.Position(0, (int) iteration, 1, true),
                CheckpointState.RandomState.capture(), new GrowingPatience.Snapshot(10, Double.POSITIVE_INFINITY, -1),
                score);
    }

    private static Checkpoint save(Checkpoints store, long iteration, Double score) throws IOException {
        graph.getConfiguration().setIterationCount((int) iteration);
        return store.save(graph, state(iteration, score));
    }

    private List<String> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theSidecarDescribesTheCheckpointAndReadsBack() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(1, 3));
        Checkpoint written = save(store, 4, 0.25);
        String json = Files.readString(written.sidecar());
        assertTrue(json.contains("\"modelSha256\""), json);
        assertTrue(json.contains("\"iteration\" : 4"), json);
        Checkpoint read = store.latest().orElseThrow();
        assertEquals(written.state(), read.state(), "infinite best score and all other fields survive JSON");
        assertEquals(4, read.restoreGraph().getIterationCount());
    }

    @Test
    void retentionKeepsTheLastKAndTheBest() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(1, 2));
        double[] scores = {0.9, 0.3, 0.8, 0.7, 0.6};
        for (int i = 0; i < scores.length; i++) {
            save(store, i + 1, scores[i]);
        }
        assertEquals(List.of("checkpoint-0000000002.json", "checkpoint-0000000002.zip",
                "checkpoint-0000000004.json", "checkpoint-0000000004.zip",
                "checkpoint-0000000005.json", "checkpoint-0000000005.zip"), files(dir),
                "the best (update 2, score 0.3) and the two newest");
        assertEquals(List.of(2L, 4L, 5L), store.list().stream().map(CheckpointState::iteration).toList());
    }

    @Test
    void aCorruptOrTruncatedNewestCheckpointFallsBackToThePreviousAndSaysWhy() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(1, 5));
        save(store, 1, null);
        Checkpoint second = save(store, 2, null);
        Checkpoint third = save(store, 3, null);

        try (RandomAccessFile file = new RandomAccessFile(third.model().toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xFF); // one flipped byte in the middle of the zip
        }
        Checkpoints.Selection selection = store.select();
        assertEquals(second.model(), selection.checkpoint().orElseThrow().model());
        assertEquals(1, selection.skipped().size());
        assertEquals(third.model(), selection.skipped().get(0).file());
        assertTrue(selection.skipped().get(0).reason().contains("SHA-256"), selection.skipped().get(0).reason());

        try (RandomAccessFile file = new RandomAccessFile(second.model().toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }
        selection = store.select();
        assertEquals(1, selection.checkpoint().orElseThrow().state().iteration());
        assertEquals(List.of(third.model(), second.model()),
                selection.skipped().stream().map(Checkpoints.Skipped::file).toList());
        assertTrue(selection.skipped().get(1).reason().contains("truncated"), selection.skipped().get(1).reason());
        assertEquals(1, selection.checkpoint().orElseThrow().restoreGraph().getIterationCount());
    }

    @Test
    void anUnreadableSidecarIsSkipped() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(1, 5));
        save(store, 1, null);
        Checkpoint second = save(store, 2, null);
        Files.writeString(second.sidecar(), "{\"format\": 1, \"model\": \"checkp");
        Checkpoints.Selection selection = store.select();
        assertEquals(1, selection.checkpoint().orElseThrow().state().iteration());
        assertTrue(selection.skipped().get(0).reason().contains("unreadable"), selection.skipped().get(0).reason());
    }

    @Test
    void aCheckpointWhoseWriteWasInterruptedIsNeverLoaded() throws IOException {
        Checkpoints store = new Checkpoints(dir, CheckpointPolicy.everyUpdates(1, 5));
        Checkpoint first = save(store, 1, null);
        // What a kill leaves at each step of a save: a temp file mid-write, then a renamed zip whose sidecar was
        // never written.
        Files.write(dir.resolve(".checkpoint-0000000002.zip123.tmp"), new byte[] {'P', 'K', 3});
        Files.copy(first.model(), dir.resolve("checkpoint-0000000002.zip"));
        Checkpoints.Selection selection = store.select();
        assertEquals(1, selection.checkpoint().orElseThrow().state().iteration());
        assertEquals(dir.resolve("checkpoint-0000000002.zip"), selection.skipped().get(0).file());
        assertTrue(selection.skipped().get(0).reason().contains("checkpoint-0000000002.json is missing"),
                selection.skipped().get(0).reason());
        assertTrue(selection.skipped().get(0).reason().contains("interrupted"), selection.skipped().get(0).reason());

        // The next save cleans up what the killed write left behind.
        save(store, 3, null);
        assertEquals(List.of("checkpoint-0000000001.json", "checkpoint-0000000001.zip",
                "checkpoint-0000000003.json", "checkpoint-0000000003.zip"), files(dir));
    }

    @Test
    void aFailedWriteLeavesNoFileUnderTheFinalName() throws IOException {
        Path target = dir.resolve("checkpoint-0000000009.zip");
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.writeFile(target, temp -> {
            Files.write(temp, new byte[1000]);
            throw new IOException("disk full");
        }));
        assertTrue(failure.getMessage().contains("disk full") && failure.getMessage().contains(target.toString()),
                "the error names the file and keeps the cause: " + failure.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), files(dir), "the temp file is removed too");

        Files.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFiles.writeFile(target, temp -> {
            throw new IOException("killed");
        }));
        assertEquals("old", Files.readString(target), "a failed write leaves the previous content");
    }

    @Test
    void noCheckpointsMeansStartFresh() throws IOException {
        Checkpoints store = new Checkpoints(dir.resolve("absent"), CheckpointPolicy.everyUpdates(1, 1));
        assertTrue(store.latest().isEmpty());
        assertEquals(List.of(), store.list());
    }

    @Test
    void ndRandomStateRestoresTheSameStream() {
        Nd4j.getRandom().setSeed(5);
        Nd4j.rand(3, 3);
        CheckpointState.RandomState saved = CheckpointState.RandomState.capture();
        double[] expected = Nd4j.rand(4, 4).data().asDouble();
        Nd4j.getRandom().setSeed(99);
        Nd4j.rand(7, 7);
        saved.restore();
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(Nd4j.rand(4, 4).data().asDouble()));
    }
}
