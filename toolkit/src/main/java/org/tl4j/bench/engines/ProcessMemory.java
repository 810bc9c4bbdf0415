package org.tl4j.bench.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident set size (VmHWM of /proc/self/status), resettable through /proc/self/clear_refs
 * so that each timed cell gets its own peak. Linux only; the benchmark needs /proc anyway.
 */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resets the peak to the current resident size; ignored where the kernel refuses (the peak then only grows). */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // An older kernel or a read-only /proc: the reported peak is then the peak since start, still a bound.
        }
    }

    /** Peak resident size in MiB, or -1 when /proc does not say. */
    static double peakMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.split("\\s+")[1]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
