package org.tl4j.zoo.weights;

import java.net.URI;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs progress of large transfers at INFO, at most once per interval, so a 100 MB download over a slow link
 * shows it is alive without flooding the log. Small files (under {@link #LARGE_BYTES}) are not reported.
 */
public final class LoggingProgress implements DownloadProgress {

    /** Transfers at least this big (or of unknown size) are reported. */
    public static final long LARGE_BYTES = 8L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(LoggingProgress.class);

    private final long intervalNanos;
    private final LongSupplier clock;
    private long lastReport;

    /** Reports every five seconds. */
    public LoggingProgress() {
        this(5_000_000_000L, System::nanoTime);
    }

    LoggingProgress(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    @Override
    public synchronized void update(URI uri, long bytesDone, long totalBytes, boolean finished) {
        if (totalBytes >= 0 && totalBytes < LARGE_BYTES) {
            return;
        }
        long now = clock.getAsLong();
        if (bytesDone == 0 && !finished) {
            lastReport = now;
            LOG.info("Downloading {} ({})", uri, totalBytes < 0 ? "size unknown" : mib(totalBytes));
            return;
        }
        if (finished) {
            LOG.info("Downloaded {} ({})", uri, mib(bytesDone));
        } else if (now - lastReport >= intervalNanos) {
            lastReport = now;
            LOG.info("  {}", describe(bytesDone, totalBytes));
        }
    }

    static String describe(long bytesDone, long totalBytes) {
        if (totalBytes <= 0) {
            return mib(bytesDone) + " received";
        }
        return String.format(Locale.ROOT, "%s of %s (%d%%)", mib(bytesDone), mib(totalBytes),
                Math.round(100.0 * bytesDone / totalBytes));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
