package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tl4j.bench.BenchResultTest.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTableTest {

    @Test
    void oneRowPerBuildWithMedianSpreadAndRatioToTheBest() {
        List<BenchResult> runs = List.of(
                result("linux-x86_64", "conv2d-op", 100, 0.1),          // 80 img/s
                result("linux-x86_64-onednn-avx512", "conv2d-op", 25, 0.3), // 320 img/s
                result("linux-x86_64", "conv2d-op", 80, 0.5),           // 100 img/s
                result("linux-x86_64-onednn-avx512", "conv2d-op", 20, 0.0), // 400 img/s
                result("linux-x86_64", "conv2d-op", 125, 0.2));         // 64 img/s
        List<String> rows = BenchTable.markdown(runs).lines().toList();
        assertEquals(4, rows.size(), String.join("\n", rows));
        assertEquals("| conv2d-op b8, 2 thr, PASSIVE | linux-x86_64 | no | 3 | 80.00 | 64.00 - 100.00 | 45% | 0.22"
                + " | 88.89 | 10.00 | 0.20 (0.50) | 1.60 |", rows.get(2));
        assertEquals("| conv2d-op b8, 2 thr, PASSIVE | linux-x86_64-onednn-avx512 | yes | 2 | 360.00 | 320.00 - 400.00"
                + " | 22% | 1.00 | 400.00 | 10.00 | 0.15 (0.30) | 1.60 |", rows.get(3));
    }

    @Test
    void readsOnlyTheResultLinesOfALog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("results.txt");
        Files.writeString(log, "[main] INFO something\n" + result("linux-x86_64", "lenet-train", 500, 0).toLine()
                + "\nlenet-train: 3 steps in 1.5 s\n");
        List<BenchResult> read = BenchTable.read(log);
        assertEquals(1, read.size());
        assertTrue(BenchTable.markdown(read)
                .contains("| lenet-train b8, 2 thr, PASSIVE | linux-x86_64 | no | 1 | 16.00 |"));
    }
}
