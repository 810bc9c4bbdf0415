package org.tl4j.progress;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Plain progress lines, at most one per interval (and the first and last step), for logs and pipes. */
final class LineTask extends CountingTask {

    private final Consumer<String> sink;
    private final long intervalNanos;
    private final AtomicLong nextLine;
    private final AtomicBoolean closed = new AtomicBoolean();

    LineTask(String name, long total, Consumer<String> sink, double intervalSeconds) {
        super(name, total);
        this.sink = sink;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.nextLine = new AtomicLong(startNanos);
    }

    @Override
    public void stepBy(long n) {
        long count = done.addAndGet(n);
        long now = System.nanoTime();
        long due = nextLine.get();
        // Only the thread that wins the compare-and-set writes, so parallel steps give one line per interval.
        if (now >= due && count < total && nextLine.compareAndSet(due, now + intervalNanos)) {
            sink.accept(line(count, (now - startNanos) / 1e9));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sink.accept(line(done.get(), elapsedSeconds()));
        }
    }
}
