package org.tl4j.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One workload timed in one JVM on one native build, printed as one parseable line:
 * {@code BENCH key=value ...}. {@link BenchTable} reads these lines back and summarises the rounds.
 */
public record BenchResult(String build, boolean oneDnn, String workload, int batch, int threads, String waitPolicy,
                          int steps, double msMedian, double msMin, double msMax, double load1Start,
                          double load1End, double othersCores, double ownCores, double wallSeconds,
                          double cpuSeconds) {

    /** First word of every result line, so that the lines can be picked out of a log. */
    public static final String PREFIX = "BENCH";

    /** Images per second at the median step time. */
    public double imagesPerSecond() {
        return batch * 1000.0 / msMedian;
    }

    /**
     * Images per second of CPU time this JVM used while timing. Other processes take cores away but leave this
     * almost unchanged (OpenMP threads that wait passively use no CPU), so it compares builds more fairly than
     * images per second on a busy machine; with spinning waits it counts the spinning too.
     */
    public double imagesPerCpuSecond() {
        return steps * (double) batch / cpuSeconds;
    }

    /** The result as one line: {@code BENCH build=... workload=... images_per_s=...}. */
    public String toLine() {
        return String.format(Locale.ROOT, "%s build=%s onednn=%s workload=%s batch=%d threads=%d omp_wait=%s steps=%d"
                        + " images_per_s=%.3f ms_median=%.1f ms_min=%.1f ms_max=%.1f load1_start=%.2f load1_end=%.2f"
                        + " others_cores=%.2f own_cores=%.2f wall_s=%.3f cpu_s=%.3f",
                PREFIX, build, oneDnn ? "yes" : "no", workload, batch, threads, waitPolicy, steps, imagesPerSecond(),
                msMedian, msMin, msMax, load1Start, load1End, othersCores, ownCores, wallSeconds, cpuSeconds);
    }

    /** True for lines written by {@link #toLine()}; other output (logs, progress) is skipped. */
    public static boolean isResultLine(String line) {
        return line.startsWith(PREFIX + " ");
    }

    /** Reads a line written by {@link #toLine()}; {@code images_per_s} is recomputed, not trusted. */
    public static BenchResult parse(String line) {
        if (!isResultLine(line)) {
            throw new IllegalArgumentException("not a benchmark result line (should start with '" + PREFIX + " '): "
                    + line);
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String field : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("field '" + field + "' is not key=value in: " + line);
            }
            f.put(field.substring(0, eq), field.substring(eq + 1));
        }
        try {
            return new BenchResult(get(f, "build", line), get(f, "onednn", line).equals("yes"),
                    get(f, "workload", line), Integer.parseInt(get(f, "batch", line)),
                    Integer.parseInt(get(f, "threads", line)), get(f, "omp_wait", line),
                    Integer.parseInt(get(f, "steps", line)), Double.parseDouble(get(f, "ms_median", line)),
                    Double.parseDouble(get(f, "ms_min", line)), Double.parseDouble(get(f, "ms_max", line)),
                    Double.parseDouble(get(f, "load1_start", line)), Double.parseDouble(get(f, "load1_end", line)),
                    Double.parseDouble(get(f, "others_cores", line)), Double.parseDouble(get(f, "own_cores", line)),
                    Double.parseDouble(get(f, "wall_s", line)), Double.parseDouble(get(f, "cpu_s", line)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in benchmark line (" + e.getMessage() + "): " + line, e);
        }
    }

    private static String get(Map<String, String> fields, String key, String line) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("benchmark line has no '" + key + "=': " + line);
        }
        return value;
    }
}
