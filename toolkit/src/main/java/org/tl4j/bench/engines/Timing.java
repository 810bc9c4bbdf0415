package org.tl4j.bench.engines;

import java.util.List;

/**
 * Seconds of each timed step of one cell in one engine, and the engine process's peak resident memory while
 * they ran (MiB; the JVM's figure covers tl4j and ONNX Runtime alike, both run in it).
 */
public record Timing(List<Double> seconds, double peakRssMb) {

    public Timing {
        seconds = List.copyOf(seconds);
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException("a timing needs at least one step");
        }
    }

    /** Images per second over all the timed steps. */
    public double imagesPerSecond(int batch) {
        return batch * seconds.size() / seconds.stream().mapToDouble(Double::doubleValue).sum();
    }
}
