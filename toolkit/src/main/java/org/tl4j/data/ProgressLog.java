package org.tl4j.data;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs "what: done/total (rate/s, ETA)" at most every few seconds, from any number of threads. Written by hand
 * instead of a terminal progress bar because the lines must read well in log files and CI output too.
 */
final class ProgressLog {

    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String what;
    private final long total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextReport = new AtomicLong(start + INTERVAL_NANOS);

    ProgressLog(Logger log, String what, long total, boolean enabled) {
        this.log = log;
        this.what = what;
        this.total = total;
        this.enabled = enabled;
    }

    /** Counts one item done; logs when the interval has passed. */
    void step() {
        long count = done.incrementAndGet();
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long due = nextReport.get();
        if (now >= due && nextReport.compareAndSet(due, now + INTERVAL_NANOS)) {
            double seconds = (now - start) / 1e9;
            double rate = count / seconds;
            log.info(String.format(Locale.ROOT, "%s: %d/%d (%.0f/s, about %.0f s left)", what, count, total, rate,
                    (total - count) / Math.max(rate, 1e-9)));
        }
    }

    /** Items done so far. */
    long done() {
        return done.get();
    }

    /** Seconds since this log was created. */
    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
