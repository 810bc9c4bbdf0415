package org.tl4j.zoo.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.ResNet50ZooMapping;
import org.tl4j.zoo.onnx.OnnxImporter;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.WeightSource;
import org.tl4j.zoo.weights.CachedWeights;
import org.tl4j.zoo.weights.OnnxToGraph;
import org.tl4j.zoo.weights.WeightResolver;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Loads an adapter with its pretrained weights: fetches (or finds in the cache) the weight file the descriptor
 * names, turns it into a DL4J graph (ONNX files through tl4j's importer, converted once and cached), copies the
 * weights onto the adapter's own graph (published layer names, taps and groups) and checks that both graphs
 * compute the same function on a seeded random input before handing it out.
 */
public final class AdapterLoader {

    /** Largest relative difference allowed between the weights' graph and the adapter's graph. */
    public static final double MAX_CHECK_ERROR = 1e-3;

    private static final Logger LOG = LoggerFactory.getLogger(AdapterLoader.class);
    private static final long CHECK_SEED = 7;

    private final WeightResolver resolver;

    public AdapterLoader(WeightSettings settings) {
        this.resolver = new WeightResolver(settings, new ImporterAsConverter());
    }

    /** The importer behind the weights cache's ONNX conversion. */
    static final class ImporterAsConverter implements OnnxToGraph {
        @Override
        public ComputationGraph convert(Path onnx) throws IOException {
            return OnnxImporter.importGraph(onnx).graph();
        }

        @Override
        public String version() {
            return "importer-1";
        }
    }

    /**
     * The adapter's graph with its first listed weight source's weights.
     *
     * @throws IllegalArgumentException when the adapter lists no weights (build it untrained instead)
     * @throws WeightTransferException  when the weights do not fit the adapter's network
     */
    public PretrainedModel load(AdapterSpec spec) throws IOException {
        if (!spec.hasWeights()) {
            throw new IllegalArgumentException("adapter " + spec.id() + " lists no pretrained weights; train it from"
                    + " scratch or add a weight source to its descriptor");
        }
        WeightSource source = spec.weights().get(0);
        CachedWeights zip = resolver.dl4jZip(source, spec.id());
        ComputationGraph weightsGraph = WeightResolver.load(zip);
        ComputationGraph adapterGraph = Architectures.build(spec, CHECK_SEED);
        int copied;
        if (source.isDl4jZoo()) {
            ResNet50ZooMapping.copy(weightsGraph, adapterGraph);
            copied = ResNet50ZooMapping.mapping(weightsGraph).size();
            // The zoo graph computes another function (its stride and pooling quirks): no output comparison.
            LOG.info("{}: DL4J zoo weights mapped by layer name ({} parameters)", spec.id(), copied);
            return new PretrainedModel(spec, adapterGraph, source, zip, copied, Double.NaN);
        }
        List<GraphWeightTransfer.Pair> pairs = GraphWeightTransfer.copy(weightsGraph, adapterGraph);
        copied = pairs.size();
        double error = classifierInputDifference(spec, weightsGraph, adapterGraph, pairs.get(pairs.size() - 1));
        if (!(error <= MAX_CHECK_ERROR)) {
            throw new WeightTransferException("the weights of " + spec.id() + " (" + zip.file() + ") were copied,"
                    + " but the adapter's graph then differs from the weights' own graph by a relative " + error
                    + " on a test input; the adapter's architecture variant does not match the file");
        }
        LOG.info("{}: {} layers copied from {}, outputs agree within {}", spec.id(), copied, zip.file(), error);
        return new PretrainedModel(spec, adapterGraph, source, zip, copied, error);
    }

    /**
     * max |a - b| / max |b| between what the two graphs feed their classifiers, for one seeded random input. The
     * classifiers' own weights were copied verbatim; comparing before the softmax keeps saturated outputs from
     * hiding a difference.
     */
    static double classifierInputDifference(AdapterSpec spec, ComputationGraph weights, ComputationGraph adapter,
                                            GraphWeightTransfer.Pair classifier) {
        INDArray input = Nd4j.getRandomFactory().getNewRandomInstance(CHECK_SEED)
                .nextGaussian(new long[] {1, spec.input().channels(), spec.input().height(), spec.input().width()});
        INDArray expected = classifierInput(weights, classifier.fromLayer(), input);
        INDArray actual = classifierInput(adapter, classifier.toLayer(), input);
        if (expected.length() != actual.length()) {
            return Double.POSITIVE_INFINITY;
        }
        return actual.reshape(expected.shape()).sub(expected).amaxNumber().doubleValue()
                / Math.max(expected.amaxNumber().doubleValue(), 1e-12);
    }

    private static INDArray classifierInput(ComputationGraph graph, String classifier, INDArray input) {
        String feeding = graph.getConfiguration().getVertexInputs().get(classifier).get(0);
        INDArray features = graph.feedForward(input, false).get(feeding);
        return features.reshape(features.size(0), -1);
    }
}
