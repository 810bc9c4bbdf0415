package org.tl4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.Splits;
import org.tl4j.zoo.spec.AdapterSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which network codes come from: an adapter's pretrained weights, a saved trained graph, or seeded weights. */
final class CodesModelOptions {

    @Mixin
    private WeightOptions weights;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "Adapter id (./tl4j zoo list).")
    String model;

    @Option(names = "--graph", paramLabel = "FILE", description = "A DL4J model zip of a graph built for the adapter"
            + " (e.g. a small adapter trained on your data) instead of the adapter's pretrained weights.")
    Path graph;

    @Option(names = "--untrained", description = "Use the architecture with seeded random weights (for timing"
            + " and tests: such codes are not useful features).")
    boolean untrained;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of --untrained weights.")
    long seed = Splits.DEFAULT_SEED;

    /** The extractor these options name. */
    CnnCodes codes() throws IOException {
        AdapterSpec spec = CnnCodes.adapter(model);
        if (graph != null) {
            return CnnCodes.of(spec, graph);
        }
        if (untrained) {
            return CnnCodes.untrained(spec, seed);
        }
        return CnnCodes.of(model, weights.settings());
    }
}
