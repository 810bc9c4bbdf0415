package org.tl4j.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Runs one action per item on a fixed number of threads, reporting progress about every 10%. */
public final class Parallel {

    private Parallel() {
    }

    /** The default thread count: every core this JVM may use. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Applies {@code action} to every item; the first failure stops the run and is rethrown as it was thrown.
     *
     * @param what words for progress lines, e.g. "fashion-mnist: images written"
     */
    public static <T> void forEach(List<T> items, int threads, Progress progress, String what, Consumer<T> action) {
        if (threads < 1) {
            throw new DatasetException("--threads " + threads + ": must be at least 1");
        }
        int n = items.size();
        int chunk = Math.max(1, Math.min(1000, n / (threads * 20)));
        int reportEvery = Math.max(1, n / 10);
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "tl4j-datasets");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < n; start += chunk) {
                List<T> slice = items.subList(start, Math.min(n, start + chunk));
                futures.add(pool.submit(() -> {
                    for (T item : slice) {
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        action.accept(item);
                        int count = done.incrementAndGet();
                        if (count % reportEvery == 0 || count == n) {
                            progress.report(what + ": " + count + "/" + n);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
