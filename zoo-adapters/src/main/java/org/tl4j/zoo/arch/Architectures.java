package org.tl4j.zoo.arch;

import java.lang.reflect.InvocationTargetException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.AdapterSpecException;

/** From an adapter descriptor to its graph: the builder it names, the configuration, the costs. */
public final class Architectures {

    static {
        LayerHelpers.enableUnlessUserChose(); // before the first layer is built: DL4J decides per layer, at construction
    }

    private Architectures() {
    }

    /** The builder named by {@code spec.architecture().builder()}, checked to make the named architecture. */
    public static ArchitectureBuilder builderFor(AdapterSpec spec) {
        String className = spec.architecture().builder();
        Object instance;
        try {
            Class<?> type = Class.forName(className, true, Architectures.class.getClassLoader());
            instance = type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new AdapterSpecException("adapter '" + spec.id() + "' names builder " + className
                    + ", which is not on the classpath (fix architecture.builder)", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new AdapterSpecException("adapter '" + spec.id() + "': builder " + className
                    + " needs a public no-argument constructor", e);
        }
        if (!(instance instanceof ArchitectureBuilder builder)) {
            throw new AdapterSpecException("adapter '" + spec.id() + "': " + className + " is not an "
                    + ArchitectureBuilder.class.getName());
        }
        if (!builder.name().equals(spec.architecture().name())) {
            throw new AdapterSpecException("adapter '" + spec.id() + "' says architecture '"
                    + spec.architecture().name() + "' but " + className + " builds '" + builder.name() + "'");
        }
        return builder;
    }

    /** The graph configuration the descriptor describes (its input size, width, classes, variant). */
    public static ComputationGraphConfiguration configuration(AdapterSpec spec) {
        return builderFor(spec).configuration(ArchOptions.of(spec));
    }

    /** The descriptor's graph with freshly initialised (untrained) weights. */
    public static ComputationGraph build(AdapterSpec spec, long seed) {
        ComputationGraph graph = new ComputationGraph(builderFor(spec).configuration(ArchOptions.of(spec).withSeed(seed)));
        graph.init();
        return graph;
    }

    /** Shapes, parameters and multiply-adds per layer, by shape inference (nothing allocated). */
    public static GraphCost cost(AdapterSpec spec) {
        return GraphCost.of(configuration(spec), inputType(spec));
    }

    /** The DL4J input type of the descriptor's input. */
    public static InputType inputType(AdapterSpec spec) {
        return InputType.convolutional(spec.input().height(), spec.input().width(), spec.input().channels());
    }
}
