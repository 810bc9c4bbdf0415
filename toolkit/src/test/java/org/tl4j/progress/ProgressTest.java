package org.tl4j.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tl4j.cli.Main;

class ProgressTest {

    @AfterEach
    void resetMode() {
        Progress.setMode(Progress.Mode.AUTO);
    }

    @Test
    void linesCarryCountsRateAndEtaAndEndWithTheTotal() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ProgressTask task = Progress.startLines("scanning x", 100, lines::add, 0)) {
            for (int i = 0; i < 50; i++) {
                task.step();
            }
            task.status("loss 0.5");
            task.stepBy(50);
        }
        assertTrue(lines.size() >= 2, "a line per step at interval 0, got " + lines);
        assertTrue(lines.get(0).matches("scanning x: 1/100 \\([0-9.]+/s, about .* left\\)"), lines.get(0));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("scanning x: 100/100 ("), last);
        assertTrue(last.endsWith(", loss 0.5"), last);
    }

    @Test
    void parallelStepsAreAllCountedAndLinesAreThrottled() {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProgressTask task = Progress.startLines("featurizing", 10_000, lines::add, 3600);
        IntStream.range(0, 10_000).parallel().forEach(i -> task.step());
        task.close();
        task.close();
        assertEquals(10_000, task.done());
        // First step writes (the interval starts due), then nothing for an hour, then the closing line once.
        assertEquals(2, lines.size(), lines.toString());
    }

    @Test
    void barDrawsNameCountAndRate() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (ProgressTask task = Progress.startBar("epoch 1", 20, out)) {
            task.stepBy(20);
        }
        String drawn = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("epoch 1"), drawn);
        assertTrue(drawn.contains("20/20"), drawn);
        assertTrue(drawn.contains("/s"), drawn);
    }

    @Test
    void quietTurnsProgressOffAndTheNextRunStartsFromAuto() {
        Main.run("inspect", "--quiet", "--data", "/does/not/exist");
        assertEquals(Progress.Mode.OFF, Progress.mode());
        assertTrue(Progress.start("x", 1) instanceof CountingTask);
        Main.run("inspect", "--data", "/does/not/exist");
        assertEquals(Progress.Mode.AUTO, Progress.mode());
    }

    @Test
    void outsideATerminalAutoMeansLines() {
        // Surefire's forked JVM has no console, like a CI job or `./tl4j ... > log`.
        Progress.setMode(Progress.Mode.AUTO);
        assertEquals(Progress.Mode.LINES, Progress.effectiveMode());
    }
}
