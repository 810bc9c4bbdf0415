package org.tl4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine is apart from this JVM: samples of /proc/stat, /proc/loadavg and this process's CPU time.
 * The difference of two samples says how many cores other processes kept busy in between, which is the noise
 * that matters when timing on a small shared machine.
 */
public record MachineLoad(long busyTicks, long totalTicks, long ownCpuNanos, long wallNanos, double load1) {

    /** Kernel clock ticks per second in /proc/stat: USER_HZ, which Linux fixes at 100 for user space. */
    static final double TICKS_PER_SECOND = 100.0;

    /** Reads the current counters; fails if /proc is not there (the benchmark is for Linux). */
    public static MachineLoad sample() {
        try {
            String stat = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String loadavg = Files.readString(Path.of("/proc/loadavg"));
            long[] ticks = parseCpuLine(stat);
            return new MachineLoad(ticks[0], ticks[1], processCpuNanos(), System.nanoTime(), parseLoad1(loadavg));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat or /proc/loadavg (the benchmark needs Linux)", e);
        }
    }

    /**
     * Busy and total ticks from the aggregate "cpu" line of /proc/stat. Busy counts user, nice, system, irq,
     * softirq and steal; idle and iowait are not busy. Guest time is already inside user and nice.
     */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: '" + line + "'");
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = Long.parseLong(f[8]);
        long busy = user + nice + system + irq + softirq + steal;
        return new long[] {busy, busy + idle + iowait};
    }

    /** The one-minute load average, the first field of /proc/loadavg. */
    static double parseLoad1(String loadavg) {
        return Double.parseDouble(loadavg.trim().split("\\s+")[0]);
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            return bean.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its own CPU time; run the benchmark on OpenJDK");
    }

    /**
     * Average number of cores that processes other than this JVM kept busy between {@code earlier} and this
     * sample: all busy CPU time minus this process's, over the wall time. Never below zero (the two clocks
     * are read a few microseconds apart).
     */
    public double othersCoresSince(MachineLoad earlier) {
        double wallSeconds = (wallNanos - earlier.wallNanos) / 1e9;
        if (wallSeconds <= 0) {
            return 0;
        }
        double busySeconds = (busyTicks - earlier.busyTicks) / TICKS_PER_SECOND;
        double ownSeconds = (ownCpuNanos - earlier.ownCpuNanos) / 1e9;
        return Math.max(0, (busySeconds - ownSeconds) / wallSeconds);
    }

    /** Seconds of wall time between {@code earlier} and this sample. */
    public double wallSecondsSince(MachineLoad earlier) {
        return (wallNanos - earlier.wallNanos) / 1e9;
    }

    /** Seconds of CPU time this JVM used between {@code earlier} and this sample. */
    public double ownCpuSecondsSince(MachineLoad earlier) {
        return (ownCpuNanos - earlier.ownCpuNanos) / 1e9;
    }

    /** Average number of cores this JVM kept busy between {@code earlier} and this sample. */
    public double ownCoresSince(MachineLoad earlier) {
        double wallSeconds = (wallNanos - earlier.wallNanos) / 1e9;
        return wallSeconds <= 0 ? 0 : (ownCpuNanos - earlier.ownCpuNanos) / 1e9 / wallSeconds;
    }
}
