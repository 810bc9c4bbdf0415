package org.tl4j.bench.engines;

/** One thing timed in every engine: a network, a workload and a batch size. */
public record Cell(String model, Workload workload, int batch) {

    @Override
    public String toString() {
        return model + " " + workload.wire() + " b" + batch;
    }
}
