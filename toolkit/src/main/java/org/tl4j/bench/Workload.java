package org.tl4j.bench;

/** One timed unit of work of the native-build benchmark: a forward pass, a training step, or one op. */
interface Workload {

    /** Short name used on the result line, e.g. {@code resnet50-infer}. */
    String name();

    /** Images per step: the benchmark reports images per second. */
    int batch();

    /** Iterations run before timing starts (JIT, workspaces, oneDNN primitive caches). */
    int warmupSteps();

    /** Builds the network and the seeded random input; not timed. */
    void prepare(long seed);

    /** One step; timed. Must block until the native work is finished. */
    void step();
}
