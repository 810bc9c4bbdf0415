package org.tl4j.zoo.arch;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Makes the DL4J graph of one architecture family, with the layer names of its published release. Adapter
 * descriptors name their builder's class (it needs a public no-argument constructor).
 */
public interface ArchitectureBuilder {

    /** Architecture family, e.g. {@code resnet50}. */
    String name();

    /** The variants {@link ArchOptions#variant()} may name; the first is the default. */
    List<String> variants();

    /**
     * The graph's configuration: single input {@code input}, single output (the classifier, softmax).
     *
     * @throws IllegalArgumentException for an unknown variant or an input too small for the network
     */
    ComputationGraphConfiguration configuration(ArchOptions options);

    /** The graph with freshly initialised weights (seeded by {@link ArchOptions#seed()}). */
    default ComputationGraph build(ArchOptions options) {
        ComputationGraph graph = new ComputationGraph(configuration(options));
        graph.init();
        return graph;
    }

    /** Throws when the variant is not one of {@link #variants()}. */
    default String checkVariant(ArchOptions options) {
        if (!variants().contains(options.variant())) {
            throw new IllegalArgumentException(name() + " has no variant '" + options.variant() + "'; choose one of "
                    + variants());
        }
        return options.variant();
    }
}
