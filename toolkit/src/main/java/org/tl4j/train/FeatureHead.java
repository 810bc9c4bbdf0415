package org.tl4j.train;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A new classifier (softmax, cross-entropy, Adam) trained on a frozen trunk's features: from cached features
 * ({@link #graph()}, input = one feature row) or, for comparison, on top of the whole frozen graph the way DL4J's
 * transfer-learning API does it ({@link #onFrozenGraph}), both starting from the same initial weights.
 */
public final class FeatureHead {

    /** Name of the head layer in both graphs. */
    public static final String LAYER = "feature_head";
    private static final String POOL = "feature_head_pool";

    private final int featureLength;
    private final int classes;
    private final double learningRate;
    private final long seed;
    private final ComputationGraph graph;

    /**
     * @param featureLength floats per feature row
     * @param classes       number of classes
     * @param learningRate  Adam's learning rate
     * @param seed          seed of the head's initial weights
     */
    public FeatureHead(int featureLength, int classes, double learningRate, long seed) {
        this.featureLength = featureLength;
        this.classes = classes;
        this.learningRate = learningRate;
        this.seed = seed;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .graphBuilder()
                .addInputs("features")
                .setInputTypes(InputType.feedForward(featureLength))
                .addLayer(LAYER, outputLayer(featureLength), "features")
                .setOutputs(LAYER)
                .build();
        this.graph = new ComputationGraph(conf);
        graph.init();
    }

    /** The head alone: input one feature row, output class probabilities. */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * Trains for some epochs; the iterator is reset before each epoch.
     *
     * @return mean training loss of each epoch (the loss of each batch before its update, weighted by its size)
     */
    public double[] fit(DataSetIterator data, int epochs, IntConsumer afterEpoch) {
        return fit(graph, data, epochs, afterEpoch);
    }

    /** Same as {@link #fit(DataSetIterator, int, IntConsumer)} for any single-input graph. */
    public static double[] fit(ComputationGraph network, DataSetIterator data, int epochs, IntConsumer afterEpoch) {
        double[] losses = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            data.reset();
            double sum = 0;
            long n = 0;
            while (data.hasNext()) {
                DataSet batch = data.next();
                network.fit(batch);
                sum += network.score() * batch.numExamples();
                n += batch.numExamples();
            }
            losses[epoch] = sum / n;
            if (afterEpoch != null) {
                afterEpoch.accept(epoch);
            }
        }
        return losses;
    }

    /**
     * DL4J's plain frozen-trunk training: the full graph with every layer up to the cut frozen
     * ({@code setFeatureExtractor}), everything after it removed, and this head (same configuration, a copy of its
     * current weights) added on top, pooling or flattening the cut's activation as the trunk does. Each fit runs
     * the trunk again.
     *
     * @param full     the adapter's graph (not modified)
     * @param trunk    the cut and pooling the head's features came from
     * @param rawShape one image's activation at the cut before pooling ([C, H, W] or [d]): {@link
     *                 FeatureTrunk#rawRowShape}
     */
    public ComputationGraph onFrozenGraph(ComputationGraph full, FeatureTrunk trunk, long[] rawShape) {
        String cut = trunk.cut();
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(full.clone())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().seed(seed)
                        .updater(new Adam(learningRate)).build())
                .setFeatureExtractor(cut);
        for (String v : FeatureTrunk.verticesAfter(full, cut)) {
            builder.removeVertexAndConnections(v);
        }
        if (rawShape.length == 3 && trunk.pooled()) {
            builder.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), cut);
            builder.addLayer(LAYER, outputLayer(featureLength), POOL);
        } else if (rawShape.length == 3) {
            builder.addLayer(LAYER, outputLayer(featureLength),
                    new CnnToFeedForwardPreProcessor(rawShape[1], rawShape[2], rawShape[0]), cut);
        } else if (rawShape.length == 1) {
            builder.addLayer(LAYER, outputLayer(featureLength), cut);
        } else {
            throw new IllegalArgumentException("no frozen-graph head for activations of shape "
                    + Arrays.toString(rawShape) + " at " + cut);
        }
        ComputationGraph frozen = builder.setOutputs(LAYER).build();
        frozen.getLayer(LAYER).setParams(graph.getLayer(LAYER).params().dup());
        return frozen;
    }

    private OutputLayer outputLayer(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build();
    }
}
