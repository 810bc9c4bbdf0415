package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --quick smoke run of {@code tl4j bench engines}: every engine runs every workload it supports. */
class BenchEnginesCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return CapturedRun.run(args);
    }

    @Test
    void quickRunTimesEveryEngineAndWritesTheResults() throws Exception {
        String[] r = run("bench", "engines", "--quick", "--out", dir.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode doc = new ObjectMapper().readTree(Files.readString(dir.resolve("results.json")));
        assertTrue(doc.get("gemm_peak_gflops").asDouble() > 0, "the GEMM peak must be measured");
        Set<String> seen = new HashSet<>();
        for (JsonNode row : doc.get("rows")) {
            seen.add(row.get("engine").asText() + " " + row.get("workload").asText());
            assertTrue(row.get("images_per_s_median").asDouble() > 0, row.toString());
            assertTrue(row.get("peak_rss_mb").asDouble() > 0, row.toString());
            assertTrue(row.get("tl4j_ratio").asDouble() > 0, row.toString());
        }
        for (String engine : new String[] {"tl4j", "pytorch"}) {
            for (String workload : new String[] {"train_all", "train_head", "infer"}) {
                assertTrue(seen.contains(engine + " " + workload), "missing " + engine + " " + workload + " in "
                        + seen);
            }
        }
        assertTrue(seen.contains("onnxruntime infer"), seen.toString());
        assertTrue(Files.readString(dir.resolve("results.md")).contains("| tl4j / this |"));
        assertTrue(r[1].contains("% of GEMM peak"), r[1]);
    }

    @Test
    void unknownModelIsAUserError() {
        String[] r = run("bench", "engines", "--models", "vgg16", "--out", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("vgg16") && r[2].contains("resnet50"), r[2]);
    }
}
