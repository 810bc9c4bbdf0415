package org.tl4j.bench.engines;

/** One engine of the comparison: prepares a network, then times cells of it. */
interface BenchEngine extends AutoCloseable {

    /** Name in the table, e.g. {@code tl4j}, {@code pytorch}, {@code onnxruntime}. */
    String name();

    /** Whether this engine can run the workload (ONNX Runtime only infers). */
    boolean supports(Workload workload);

    /** Builds (or loads) the network; not timed. */
    void prepare(ModelUnderTest model) throws Exception;

    /** Runs {@code warmup} untimed steps, then times {@code steps} steps. */
    Timing time(Cell cell, int warmup, int steps) throws Exception;

    /** Frees the network of {@code model}, before the next one is prepared. */
    void release(String model);

    @Override
    void close();
}
