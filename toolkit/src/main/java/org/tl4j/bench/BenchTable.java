package org.tl4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises {@link BenchResult} lines from several rounds as a markdown table: per workload, thread count and
 * OpenMP wait policy, one row per native build with the median images/s over rounds, the spread (min to max),
 * the ratio to the fastest build of the group, two views that other processes disturb less (the fastest step,
 * and images per second of this JVM's CPU time), and how busy the rest of the machine was during those runs.
 */
public final class BenchTable {

    private BenchTable() {
    }

    /** Usage: {@code BenchTable results.txt...}; prints the table on stdout. */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: BenchTable RESULTS_FILE... (files holding BENCH lines from NativeBuildBench)");
            System.exit(2);
        }
        List<BenchResult> results = new ArrayList<>();
        for (String arg : args) {
            results.addAll(read(Path.of(arg)));
        }
        if (results.isEmpty()) {
            System.err.println("no BENCH lines in " + String.join(", ", args) + "; did the benchmark runs fail?");
            System.exit(2);
        }
        System.out.print(markdown(results));
    }

    /** The BENCH lines of a file; other lines (logs, progress) are skipped. */
    static List<BenchResult> read(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(BenchResult::isResultLine).map(BenchResult::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark results " + file, e);
        }
    }

    /** The table, rows grouped by workload, threads and wait policy, builds in the order they first ran. */
    static String markdown(List<BenchResult> results) {
        Map<String, Map<String, List<BenchResult>>> groups = new LinkedHashMap<>();
        for (BenchResult r : results.stream().sorted(Comparator.comparing(BenchResult::workload)
                .thenComparing(BenchResult::threads, Comparator.reverseOrder())
                .thenComparing(BenchResult::waitPolicy)).toList()) {
            String group = r.workload() + " b" + r.batch() + ", " + r.threads() + " thr, " + r.waitPolicy();
            groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(r.build(), b -> new ArrayList<>())
                    .add(r);
        }
        StringBuilder out = new StringBuilder();
        out.append("| workload, threads, OMP_WAIT_POLICY | build | oneDNN | runs | images/s median | min - max"
                + " | spread | vs best | fastest step images/s | images per CPU-s | other procs' cores median (max)"
                + " | load1 median |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var group : groups.entrySet()) {
            double best = group.getValue().values().stream().mapToDouble(BenchTable::medianImagesPerSecond).max()
                    .orElseThrow();
            for (var build : group.getValue().entrySet()) {
                List<BenchResult> runs = build.getValue();
                double[] ips = sorted(runs.stream().mapToDouble(BenchResult::imagesPerSecond).toArray());
                double median = NativeBuildBench.median(ips);
                // The fastest step of a run is the one least disturbed by other processes: a second view
                // of the build's own speed when the machine is busy.
                double[] fastest = sorted(runs.stream().mapToDouble(r -> r.batch() * 1000.0 / r.msMin()).toArray());
                double[] perCpu = sorted(runs.stream().mapToDouble(BenchResult::imagesPerCpuSecond).toArray());
                double[] others = sorted(runs.stream().mapToDouble(BenchResult::othersCores).toArray());
                double[] load = sorted(runs.stream().mapToDouble(r -> (r.load1Start() + r.load1End()) / 2).toArray());
                out.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %d | %.2f | %.2f - %.2f | %.0f%% | %.2f | %.2f | %.2f | %.2f (%.2f)"
                                + " | %.2f |%n",
                        group.getKey(), build.getKey(), runs.get(0).oneDnn() ? "yes" : "no", runs.size(), median,
                        ips[0], ips[ips.length - 1], 100 * (ips[ips.length - 1] - ips[0]) / median, median / best,
                        NativeBuildBench.median(fastest), NativeBuildBench.median(perCpu),
                        NativeBuildBench.median(others), others[others.length - 1], NativeBuildBench.median(load)));
            }
        }
        return out.toString();
    }

    private static double medianImagesPerSecond(List<BenchResult> runs) {
        return NativeBuildBench.median(sorted(runs.stream().mapToDouble(BenchResult::imagesPerSecond).toArray()));
    }

    private static double[] sorted(double[] values) {
        Arrays.sort(values);
        return values;
    }
}
