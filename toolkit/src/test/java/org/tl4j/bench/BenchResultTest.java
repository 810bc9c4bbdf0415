package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchResultTest {

    static BenchResult result(String build, String workload, double msMedian, double others) {
        return new BenchResult(build, build.contains("onednn"), workload, 8, 2, "PASSIVE", 5, msMedian,
                msMedian * 0.9, msMedian * 1.2, 1.5, 1.7, others, 1.9, 10.0, 4.0);
    }

    @Test
    void lineRoundTrips() {
        BenchResult r = result("linux-x86_64-onednn-avx512", "resnet50-infer", 2500.0, 0.42);
        String line = r.toLine();
        assertTrue(line.startsWith("BENCH build=linux-x86_64-onednn-avx512 onednn=yes workload=resnet50-infer"), line);
        assertTrue(line.contains(" images_per_s=3.200 "), line);
        assertEquals(r, BenchResult.parse(line));
    }

    @Test
    void imagesPerSecondComesFromTheMedianStep() {
        assertEquals(64.0, result("linux-x86_64", "conv2d-op", 125.0, 0).imagesPerSecond(), 1e-9);
    }

    @Test
    void imagesPerCpuSecondCountsAllTimedSteps() {
        assertEquals(10.0, result("linux-x86_64", "resnet50-infer", 2500.0, 1.0).imagesPerCpuSecond(), 1e-9);
    }

    @Test
    void otherLinesAreNotResults() {
        assertFalse(BenchResult.isResultLine("[main] INFO org.nd4j - Loaded"));
        assertThrows(IllegalArgumentException.class, () -> BenchResult.parse("resnet50-infer: 3 steps in 7.5 s"));
    }

    @Test
    void aMissingFieldIsNamed() {
        String line = result("linux-x86_64", "lenet-train", 300, 0).toLine().replaceAll(" others_cores=\\S+", "");
        var e = assertThrows(IllegalArgumentException.class, () -> BenchResult.parse(line));
        assertTrue(e.getMessage().contains("others_cores"), e.getMessage());
    }
}
