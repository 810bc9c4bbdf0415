package org.tl4j.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.HeadSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;

/**
 * Puts a new classifier on a pretrained graph, everything driven by the adapter's descriptor: the network is cut
 * at a tap (the descriptor's default tap, its pooled penultimate features, unless another is asked for), every
 * vertex after the tap goes (the old classifier with it), and the new head reads the tap: optional hidden dense
 * layers, then a softmax layer trained with negative log-likelihood (DL4J's MCXENT).
 *
 * <p>A head put at a convolutional tap (e.g. ResNet's res4f) first gets a global average pooling layer, so the
 * dense layers see one value per channel and never meet DL4J's "wrong input type / missing preprocessor" errors.
 *
 * <p>New weights are scaled by fan-in, zero biases: He et al. 2015 (DL4J {@link WeightInit#RELU}: N(0, 2/fanIn))
 * before a ReLU, LeCun (DL4J {@link WeightInit#LECUN_NORMAL}: N(0, 1/fanIn)) before any other nonlinearity and
 * the softmax. Both are plain (untruncated) normals in DL4J 1.0.0-M2.1. DL4J's {@link WeightInit#XAVIER}, which
 * the zoo classifiers use, averages fan-in and fan-out and is not used here. The new weights depend only on the
 * head's shapes and {@link HeadSpecification#seed()}, not on the rest of the graph.
 */
public final class HeadSurgery {

    /** Prefix of every layer the surgery adds, so they can never clash with a pretrained layer's name. */
    public static final String NEW_LAYER_PREFIX = "new_head_";
    /** The global average pooling inserted before the head when the tap is a feature map. */
    public static final String POOLING = NEW_LAYER_PREFIX + "pool";
    /** The new softmax classifier. */
    public static final String CLASSIFIER = NEW_LAYER_PREFIX + "classifier";

    private HeadSurgery() {
    }

    /**
     * The graph with its new head, and a descriptor of the result.
     *
     * @param graph   the new graph; the layers up to the tap keep the input graph's parameters (copies)
     * @param spec    the adapter descriptor of the new graph: its head is {@link #CLASSIFIER} with the new class
     *                count, its taps are those up to the cut, its last group holds the new layers (so
     *                {@link LrPlan#of} covers them); groups whose layers were all cut away are dropped. It still
     *                names the original architecture: rebuild the new graph with {@link HeadSurgery}, not
     *                {@code Architectures.build}.
     * @param tap     where the head was put
     * @param removed the vertices cut away, in graph order
     * @param added   the new layers, input to output (the pooling layer first when one was inserted)
     */
    public record Result(ComputationGraph graph, AdapterSpec spec, Tap tap, List<String> removed, List<String> added) {
    }

    /**
     * Cuts {@code graph} (built from {@code spec}) at the head's tap and puts the new head there.
     *
     * @throws InvalidInputException    when the head names a tap the adapter does not have
     * @throws IllegalArgumentException when the graph does not match the descriptor (a tap or the classifier
     *                                  missing, or the classifier not after the tap)
     */
    public static Result apply(ComputationGraph graph, AdapterSpec spec, HeadSpecification head) {
        Tap tap = head.tap().map(name -> spec.tap(name).orElseThrow(() -> new InvalidInputException("adapter "
                        + spec.id() + " has no tap '" + name + "'; use one of " + spec.taps().stream().map(Tap::name)
                        .collect(Collectors.joining(", ")))))
                .orElse(spec.defaultTapSpec());
        ComputationGraphConfiguration conf = graph.getConfiguration();
        String tapVertex = tap.layer();
        if (!conf.getVertices().containsKey(tapVertex)) {
            throw new IllegalArgumentException("adapter " + spec.id() + ": tap " + tap.name() + " names vertex "
                    + tapVertex + ", which the graph does not have; fix the descriptor's taps");
        }
        Set<String> kept = upstreamClosure(conf, Set.of(tapVertex));
        String oldClassifier = spec.head().layer();
        if (kept.contains(oldClassifier) || !conf.getVertices().containsKey(oldClassifier)) {
            throw new IllegalArgumentException("adapter " + spec.id() + ": the classifier " + oldClassifier
                    + (kept.contains(oldClassifier) ? " lies before tap " + tap.name()
                    : " is not in the graph") + "; fix the descriptor's head.layer");
        }
        List<String> removed = conf.getVertices().keySet().stream().filter(v -> !kept.contains(v)).toList();

        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(graph);
        removed.forEach(builder::removeVertexAndConnections);

        InputType tapType = conf.getLayerActivationTypes(Architectures.inputType(spec)).get(tapVertex);
        List<String> added = new ArrayList<>();
        String previous = tapVertex;
        long width;
        if (tapType instanceof InputType.InputTypeConvolutional cnn) {
            // Dense layers need a vector: average each channel over the map, as the zoo networks' own heads do.
            builder.addLayer(POOLING, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
            added.add(POOLING);
            previous = POOLING;
            width = cnn.getChannels();
        } else if (tapType instanceof InputType.InputTypeFeedForward ff) {
            width = ff.getSize();
        } else {
            throw new IllegalArgumentException("adapter " + spec.id() + ": tap " + tap.name() + " gives " + tapType
                    + "; a head can only read a feature map or a vector");
        }
        for (int i = 0; i < head.hidden().size(); i++) {
            String name = NEW_LAYER_PREFIX + "hidden" + (i + 1);
            int size = head.hidden().get(i);
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(width).nOut(size)
                    .activation(head.hiddenActivation()).weightInit(fanInInit(head.hiddenActivation())).biasInit(0);
            builder.addLayer(name, withDropout(dense, head.dropout()).build(), previous);
            added.add(name);
            previous = name;
            width = size;
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunction.MCXENT).nIn(width).nOut(head.classes())
                .activation(Activation.SOFTMAX).weightInit(WeightInit.LECUN_NORMAL).biasInit(0);
        builder.addLayer(CLASSIFIER, withDropout(output, head.dropout()).build(), previous);
        added.add(CLASSIFIER);
        builder.setOutputs(CLASSIFIER);

        ComputationGraph result = builder.build();
        initialise(result, added, head.seed());
        return new Result(result, adaptedSpec(spec, tap, kept, added, head.classes()), tap, removed, added);
    }

    /** He (fan-in, gain 2) before ReLU-like units, LeCun (fan-in, gain 1) otherwise. */
    static WeightInit fanInInit(Activation activation) {
        return switch (activation) {
            case RELU, RELU6, LEAKYRELU, RRELU -> WeightInit.RELU;
            default -> WeightInit.LECUN_NORMAL;
        };
    }

    private static <T extends FeedForwardLayer.Builder<T>> T withDropout(T builder, double dropout) {
        // DL4J's dropOut takes the probability of keeping an input.
        return dropout > 0 ? builder.dropOut(1 - dropout) : builder;
    }

    /**
     * Draws the new layers' weights again from a generator seeded with the head's seed, so they depend on the
     * seed and the head's shapes only (DL4J's own initialisation draws every layer of the graph from one stream).
     */
    private static void initialise(ComputationGraph graph, List<String> added, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (String name : added) {
            if (!(graph.getLayer(name).conf().getLayer() instanceof FeedForwardLayer layer) || graph.getLayer(name).numParams() == 0) {
                continue;
            }
            INDArray weights = graph.getLayer(name).getParam("W");
            IWeightInit init = ((BaseLayer) layer).getWeightInitFn();
            // DL4J's DefaultParamInitializer fills dense weights [nIn, nOut] in 'f' order.
            init.init(layer.getNIn(), layer.getNOut(), weights.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, weights);
            graph.getLayer(name).getParam("b").assign(0);
        }
    }

    private static AdapterSpec adaptedSpec(AdapterSpec spec, Tap tap, Set<String> kept, List<String> added, int classes) {
        List<Tap> taps = spec.taps().stream().filter(t -> kept.contains(t.layer())).toList();
        List<LayerGroup> groups = new ArrayList<>();
        List<LayerGroup> original = spec.groups();
        for (LayerGroup group : original.subList(0, original.size() - 1)) {
            if (kept.stream().anyMatch(group::contains)) {
                groups.add(group);
            }
        }
        LayerGroup headGroup = spec.headGroup();
        List<String> headLayers = new ArrayList<>(headGroup.layers());
        headLayers.addAll(added);
        groups.add(new LayerGroup(headGroup.name(), headGroup.lrMultiplier(), headLayers));
        return new AdapterSpec(spec.id(), spec.description() + "; new " + classes + "-class head at " + tap.name(),
                spec.architecture(), spec.input(), new HeadSpec(CLASSIFIER, classes, null), taps, tap.name(), groups,
                spec.weights());
    }

    /** The vertices the given ones depend on, themselves and the network inputs included. */
    static Set<String> upstreamClosure(ComputationGraphConfiguration conf, Set<String> start) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> seen = new HashSet<>(start);
        Deque<String> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            for (String input : inputs.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(input)) {
                    todo.push(input);
                }
            }
        }
        return seen;
    }
}
