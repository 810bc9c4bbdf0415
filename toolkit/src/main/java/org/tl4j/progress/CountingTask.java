package org.tl4j.progress;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Counts without showing anything; the base of the visible tasks, which add output on top. */
class CountingTask implements ProgressTask {

    final String name;
    final long total;
    final long startNanos = System.nanoTime();
    final AtomicLong done = new AtomicLong();
    volatile String status;

    CountingTask(String name, long total) {
        this.name = name;
        this.total = total;
    }

    @Override
    public void stepBy(long n) {
        done.addAndGet(n);
    }

    @Override
    public void status(String text) {
        status = text;
    }

    @Override
    public long done() {
        return done.get();
    }

    @Override
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
    }

    /** "name: done/total (rate/s, about N s left)[, status]", the line format shared by line output and tests. */
    String line(long count, double seconds) {
        double rate = count / Math.max(seconds, 1e-9);
        StringBuilder s = new StringBuilder(name).append(": ").append(count);
        if (total > 0) {
            s.append('/').append(total);
        }
        s.append(String.format(Locale.ROOT, " (%s/s", rate(rate)));
        if (total > 0 && count < total && count > 0) {
            s.append(String.format(Locale.ROOT, ", about %s left", duration((total - count) / rate)));
        } else {
            s.append(String.format(Locale.ROOT, ", %s", duration(seconds)));
        }
        s.append(')');
        String st = status;
        if (st != null && !st.isBlank()) {
            s.append(", ").append(st);
        }
        return s.toString();
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.2f", perSecond);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
                : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
