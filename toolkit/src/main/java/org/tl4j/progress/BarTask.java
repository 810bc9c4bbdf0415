package org.tl4j.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal bar (me.tongfei:progressbar) with rate and ETA, redrawn in place on stderr. */
final class BarTask extends CountingTask {

    private final ProgressBar bar;
    private final AtomicBoolean closed = new AtomicBoolean();

    BarTask(String name, long total, PrintStream out) {
        super(name, total);
        this.bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setEtaFunction(state -> java.util.Optional.ofNullable(eta()))
                .build();
    }

    private Duration eta() {
        long count = done.get();
        if (total <= 0 || count <= 0 || count >= total) {
            return null;
        }
        double rate = count / Math.max(elapsedSeconds(), 1e-9);
        return Duration.ofMillis((long) ((total - count) / rate * 1000));
    }

    @Override
    public void stepBy(long n) {
        super.stepBy(n);
        bar.stepBy(n);
    }

    @Override
    public void status(String text) {
        super.status(text);
        bar.setExtraMessage(text == null ? "" : text);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            bar.close();
        }
    }
}
