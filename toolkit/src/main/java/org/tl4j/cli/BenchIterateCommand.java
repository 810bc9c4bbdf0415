package org.tl4j.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.zoo.spec.InputSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl4j bench iterate}: how fast images stream through the iterator, and how much memory that takes. */
@Command(name = "iterate",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Scan an image folder, then stream every usable image through the training iterator (decode,"
                + " resize, normalise, batch) for some epochs; print images/s, peak heap and peak RSS.")
final class BenchIterateCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest.")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data.")
    int epochs = 2;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = 64;

    @Option(names = "--size", paramLabel = "PIXELS", description = "Input height and width.")
    int size = 28;

    @Option(names = "--channel-order", paramLabel = "ORDER", description = "RGB, BGR or GRAY.")
    InputSpec.ChannelOrder channelOrder = InputSpec.ChannelOrder.RGB;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the per-epoch shuffles.")
    long seed = Splits.DEFAULT_SEED;

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0 || batch <= 0 || size <= 0) {
            throw new org.tl4j.data.InvalidInputException("--epochs, --batch and --size must be positive, got "
                    + epochs + ", " + batch + ", " + size);
        }
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long scanStart = System.nanoTime();
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(!common.quiet()));
        double scanSeconds = (System.nanoTime() - scanStart) / 1e9;
        List<Manifest.Entry> entries = manifest.okEntries();
        System.out.printf(Locale.ROOT, "scan:    %d files (%d usable) in %.1f s, %.0f files/s; peak heap %s,"
                        + " peak RSS %s%n", manifest.entries().size(), entries.size(), scanSeconds,
                manifest.entries().size() / scanSeconds, mib(peakHeap(heapPools)), mib(peakRss()));
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        LiveHeapProbe live = new LiveHeapProbe(heapPools);
        InputSpec spec = InputSpec.unitRange(size, size, channelOrder);
        long images = 0;
        double seconds = 0;
        try (ImageFolderIterator it = ImageFolderIterator.of(manifest, entries, spec, batch, seed)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                long count = 0;
                while (it.hasNext()) {
                    DataSet ds = it.next();
                    count += ds.numExamples();
                    // A training loop is done with a batch here; free its off-heap buffers now, not at the next GC.
                    release(ds);
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "epoch %d: %d images in %.1f s, %.0f images/s%n", epoch, count, s,
                        count / s);
                images += count;
                seconds += s;
                it.reset();
            }
        } finally {
            live.stop();
        }
        System.out.printf(Locale.ROOT, "iterate: %d images, batch %d, %s, %d epochs: %.0f images/s%n", images, batch,
                spec, epochs, images / seconds);
        System.out.printf(Locale.ROOT, "memory:  peak heap while iterating %s (sum of heap pools' peaks, garbage"
                        + " included; -Xmx %s), peak live heap %s (largest heap in use after a GC), peak RSS of the"
                        + " process %s (VmHWM)%n", mib(peakHeap(heapPools)), mib(Runtime.getRuntime().maxMemory()),
                mib(live.peakAfterGc()), mib(peakRss()));
        System.out.printf(Locale.ROOT, "cpus:    %d available, load average %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        return ExitCodes.OK;
    }

    private static void release(DataSet ds) {
        for (org.nd4j.linalg.api.ndarray.INDArray array : new org.nd4j.linalg.api.ndarray.INDArray[] {
                ds.getFeatures(), ds.getLabels()}) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }

    /**
     * Samples the heap occupancy left after each GC (each pool's collection usage), so the figure shows what the
     * iterator keeps alive rather than how much garbage the collector let pile up.
     */
    private static final class LiveHeapProbe {
        private final List<MemoryPoolMXBean> pools;
        private final java.util.concurrent.ScheduledExecutorService sampler;
        private volatile long peak;

        LiveHeapProbe(List<MemoryPoolMXBean> pools) {
            this.pools = pools;
            this.sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tl4j-heap-probe");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(this::sample, 0, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private void sample() {
            long afterGc = 0;
            for (MemoryPoolMXBean pool : pools) {
                java.lang.management.MemoryUsage usage = pool.getCollectionUsage();
                afterGc += usage == null ? 0 : usage.getUsed();
            }
            peak = Math.max(peak, afterGc);
        }

        void stop() {
            sampler.shutdownNow();
            sample();
        }

        long peakAfterGc() {
            return peak;
        }
    }

    private static long peakHeap(List<MemoryPoolMXBean> pools) {
        return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** VmHWM from /proc/self/status in bytes; -1 where there is no /proc (not Linux). */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
