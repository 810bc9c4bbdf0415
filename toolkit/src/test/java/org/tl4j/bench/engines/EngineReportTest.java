package org.tl4j.bench.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.zoo.spec.AdapterRegistry;

class EngineReportTest {

    @TempDir
    Path dir;

    private static EngineReport.Sample sample(Cell cell, String engine, int round, double secondsPerStep) {
        return new EngineReport.Sample(cell, engine, round, new Timing(List.of(secondsPerStep), 100 + round), 1, 2);
    }

    @Test
    void mediansSpreadsRatiosAndPeakShare() throws Exception {
        Cell cell = new Cell("resnet50", Workload.TRAIN_ALL, 4);
        List<EngineReport.Sample> samples = new ArrayList<>();
        double[] tl4j = {4.0, 2.0, 8.0}; // 1, 2 and 0.5 images/s: median 1
        double[] torch = {1.0, 0.5, 2.0}; // 4, 8, 2 images/s: median 4
        for (int round = 0; round < 3; round++) {
            samples.add(sample(cell, "tl4j", round, tl4j[round]));
            samples.add(sample(cell, "pytorch", round, torch[round]));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("nd4j_mmul_gflops", 50.0);
        facts.put("torch_mm_gflops", 100.0);
        var spec = AdapterRegistry.builtIn().get("resnet50-torchvision.imagenet");
        ModelUnderTest model = new ModelUnderTest("resnet50", spec, 1, 224, dir.resolve("x.onnx"), 10.0);
        EngineReport report = new EngineReport(facts, Map.of("resnet50", model), samples);

        assertEquals(100.0, report.gemmPeak());
        List<EngineReport.Row> rows = report.rows();
        assertEquals(2, rows.size());
        EngineReport.Row t = rows.get(0);
        EngineReport.Row p = rows.get(1);
        assertEquals("tl4j", t.engine());
        assertEquals(1.0, t.medianImagesPerSecond(), 1e-12);
        assertEquals(0.5, t.minImagesPerSecond(), 1e-12);
        assertEquals(2.0, t.maxImagesPerSecond(), 1e-12);
        assertEquals(102, t.peakRssMb());
        assertEquals(4.0, p.medianImagesPerSecond(), 1e-12);
        assertEquals(0.25, p.tl4jRatio(), 1e-12);
        assertEquals(1.0, t.tl4jRatio(), 1e-12);
        // 4 images/s x 10 GFLOP x 3 (forward + backward) over a 100 GFLOP/s peak
        assertEquals(1.2, p.peakShare(), 1e-12);

        report.write(dir);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"tl4j_ratio\" : 0.25"));
        assertTrue(Files.readString(dir.resolve("results.md")).contains("| pytorch | 3 | 4.00 | 2.00 - 8.00 |"));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }
}
