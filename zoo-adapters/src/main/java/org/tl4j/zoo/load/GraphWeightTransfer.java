package org.tl4j.zoo.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Copies the trained parameters of one graph (typically imported from ONNX, with the file's own vertex names) onto
 * another graph of the same network (built by tl4j with the adapter's published layer names), by structure rather
 * than by name.
 *
 * <p>Why by structure: the files' names differ by exporter (Caffe2's {@code conv1/7x7_s2}, Gluon's
 * {@code resnetv17_stage1_conv0}, torchvision's {@code layer1.0.conv1}), while the structure is what the adapter
 * promises. Both graphs are walked from their output back to their input, depth first, visiting a vertex's inputs
 * in order; the inputs of an element-wise sum are visited deepest first (a residual branch before its shortcut),
 * since exporters order a sum's operands arbitrarily, while a concatenation's order is part of its meaning. The
 * parameterised layers, in that order, are paired and their parameter shapes must agree. Same-shaped layers that a
 * walk could confuse (a residual block's 1x1 projection and its last 1x1) are told apart by where they sit.
 */
public final class GraphWeightTransfer {

    private static final String VAR = BatchNormalizationParamInitializer.GLOBAL_VAR;
    private static final String LOG_STD = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;

    private GraphWeightTransfer() {
    }

    /** One pair of layers the walk matched, for reports and errors. */
    public record Pair(String fromLayer, String toLayer, long parameters) {
    }

    /**
     * Copies every parameter of {@code from} into {@code to}.
     *
     * @return the matched pairs, in walk order
     * @throws WeightTransferException naming the first pair whose kind or shapes differ, or the counts
     */
    public static List<Pair> copy(ComputationGraph from, ComputationGraph to) {
        List<String> source = parameterisedLayersInWalkOrder(from);
        List<String> target = parameterisedLayersInWalkOrder(to);
        if (source.size() != target.size()) {
            throw new WeightTransferException("the weights' graph has " + source.size() + " layers with parameters"
                    + " and the adapter's graph " + target.size() + "; they are not the same network (check the"
                    + " adapter's architecture variant)");
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            Layer a = from.getLayer(source.get(i));
            Layer b = to.getLayer(target.get(i));
            copyLayer(source.get(i), a, target.get(i), b);
            pairs.add(new Pair(source.get(i), target.get(i), b.numParams()));
        }
        return List.copyOf(pairs);
    }

    /** Names of the layers with parameters, in the structural walk order described above. */
    static List<String> parameterisedLayersInWalkOrder(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Integer> depth = new HashMap<>();
        Set<String> visited = new LinkedHashSet<>();
        List<String> order = new ArrayList<>();
        for (String output : conf.getNetworkOutputs()) {
            walk(output, graph, inputs, depth, visited, order);
        }
        return order;
    }

    // Iterative post-order walk: recursion would overflow on deep graphs with many small vertices.
    private static void walk(String start, ComputationGraph graph, Map<String, List<String>> inputs,
                             Map<String, Integer> depth, Set<String> visited, List<String> order) {
        record Frame(String vertex, List<String> pending) {
        }
        List<Frame> stack = new ArrayList<>();
        stack.add(new Frame(start, orderedInputs(start, graph, inputs, depth)));
        visited.add(start);
        while (!stack.isEmpty()) {
            Frame top = stack.get(stack.size() - 1);
            if (!top.pending().isEmpty()) {
                String next = top.pending().remove(0);
                if (visited.add(next)) {
                    stack.add(new Frame(next, orderedInputs(next, graph, inputs, depth)));
                }
                continue;
            }
            stack.remove(stack.size() - 1);
            if (graph.getVertex(top.vertex()).hasLayer() && graph.getLayer(top.vertex()).numParams() > 0) {
                order.add(top.vertex());
            }
        }
    }

    private static List<String> orderedInputs(String vertex, ComputationGraph graph, Map<String, List<String>> inputs,
                                              Map<String, Integer> depth) {
        List<String> in = new ArrayList<>(inputs.getOrDefault(vertex, List.of()));
        var conf = graph.getConfiguration().getVertices().get(vertex);
        if (conf instanceof ElementWiseVertex) {
            in.sort(Comparator.comparingInt((String v) -> depth(v, inputs, depth)).reversed());
        }
        return in;
    }

    /** Longest path, in vertices, from a network input; computed without recursion and memoised. */
    private static int depth(String vertex, Map<String, List<String>> inputs, Map<String, Integer> memo) {
        List<String> stack = new ArrayList<>(List.of(vertex));
        while (!stack.isEmpty()) {
            String top = stack.get(stack.size() - 1);
            if (memo.containsKey(top)) {
                stack.remove(stack.size() - 1);
                continue;
            }
            List<String> missing = inputs.getOrDefault(top, List.of()).stream().filter(v -> !memo.containsKey(v)).toList();
            if (missing.isEmpty()) {
                int d = inputs.getOrDefault(top, List.of()).stream().mapToInt(memo::get).max().orElse(-1) + 1;
                memo.put(top, d);
                stack.remove(stack.size() - 1);
            } else {
                stack.addAll(missing);
            }
        }
        return memo.get(vertex);
    }

    private static void copyLayer(String fromName, Layer from, String toName, Layer to) {
        String fromKind = from.getClass().getSimpleName();
        String toKind = to.getClass().getSimpleName();
        if (!fromKind.equals(toKind) && !(isDense(from) && isDense(to))) {
            throw new WeightTransferException("layer " + fromName + " (" + fromKind + ") in the weights pairs with "
                    + toName + " (" + toKind + ") in the adapter's graph; the structures differ");
        }
        Map<String, INDArray> source = from.paramTable();
        boolean batchNorm = to instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization;
        for (Map.Entry<String, INDArray> entry : to.paramTable().entrySet()) {
            String key = entry.getKey();
            INDArray value = batchNorm && (key.equals(VAR) || key.equals(LOG_STD))
                    ? batchNormScale(from, key, to) : source.get(key);
            if (value == null) {
                throw new WeightTransferException("layer " + fromName + " has no parameter " + key + " (it has "
                        + source.keySet() + "); the structures differ");
            }
            if (!Arrays.equals(value.shape(), entry.getValue().shape())) {
                throw new WeightTransferException("parameter " + key + " of " + fromName + " has shape "
                        + Arrays.toString(value.shape()) + " but " + toName + " needs "
                        + Arrays.toString(entry.getValue().shape()) + "; the structures differ (check the adapter's"
                        + " width and variant)");
            }
            to.setParam(key, value.dup());
        }
    }

    /**
     * BatchNorm's scale in the target's form. DL4J divides by sqrt(var + eps) when it stores the variance, and by
     * sqrt(10^(2 log10std) + eps) when it stores log10(std) (it adds eps in both forms, checked against its
     * output). So the quantity to keep is the effective variance var + eps of the source, whatever the forms and
     * epsilons of the two layers.
     */
    private static INDArray batchNormScale(Layer from, String key, Layer to) {
        Map<String, INDArray> source = from.paramTable();
        INDArray variance = source.containsKey(VAR) ? source.get(VAR).dup()
                : Transforms.pow(Transforms.exp(source.get(LOG_STD).mul(Math.log(10))), 2);
        // max(..., tiny): a target epsilon above the source's whole effective variance cannot be matched exactly;
        // the loader's output check then reports it.
        INDArray target = Transforms.max(variance.add(epsilon(from) - epsilon(to)), 1e-12);
        return key.equals(VAR) ? target : Transforms.log(Transforms.sqrt(target), 10);
    }

    private static double epsilon(Layer batchNorm) {
        return ((org.deeplearning4j.nn.conf.layers.BatchNormalization) batchNorm.conf().getLayer()).getEps();
    }

    private static boolean isDense(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer
                || layer instanceof org.deeplearning4j.nn.layers.OutputLayer;
    }
}
