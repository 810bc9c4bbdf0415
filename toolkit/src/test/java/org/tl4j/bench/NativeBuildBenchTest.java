package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NativeBuildBenchTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, NativeBuildBench.median(new double[] {1, 2, 10}));
        assertEquals(2.5, NativeBuildBench.median(new double[] {1, 2, 3, 10}));
        assertThrows(IllegalArgumentException.class, () -> NativeBuildBench.median(new double[0]));
    }

    @Test
    void anUnknownWorkloadIsAUsageError() {
        CommandLine cli = new CommandLine(new NativeBuildBench());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--workloads", "vgg16-infer"));
        assertTrue(err.toString().contains("unknown workload 'vgg16-infer'"), err.toString());
    }
}
