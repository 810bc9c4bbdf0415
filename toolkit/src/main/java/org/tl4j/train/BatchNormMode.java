package org.tl4j.train;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What the BatchNorm layers that fine-tune do with their statistics. Frozen BatchNorm layers (multiplier 0 in the
 * {@link LrPlan}) always run in inference mode with fixed statistics, whatever the mode: {@link PlanApplier}
 * wraps them in DL4J's FrozenLayer, which runs its layer in inference mode, so a frozen part computes the same
 * function in training as at prediction time (and its output can be cached).
 *
 * <p><b>Default: {@link #FROZEN_STATISTICS}.</b> Batch statistics of a small target set are noisy: with the batch
 * sizes a fine-tuning run can afford (8-32 images, often of few classes), the per-batch mean and variance of a
 * channel differ from batch to batch and from the statistics the pretrained weights were learnt with, so each
 * step trains the layers after a BatchNorm on a shifted input, and the running averages drift away from the
 * ImageNet statistics towards an estimate from a few hundred images. Keeping the pretrained statistics is the
 * usual choice for transfer: Keras' transfer-learning guide (keras.io/guides/transfer_learning, "fine-tuning")
 * keeps BatchNormalization in inference mode when the base model is unfrozen, "otherwise the updates applied to
 * the non-trainable weights will suddenly destroy what the model has learned"; fastai's {@code BnFreeze} callback
 * keeps the running statistics of the frozen part's BatchNorm layers fixed for the same reason. The
 * cost: statistics cannot adapt to a target domain far from ImageNet (another sensor, medical or satellite
 * images), where re-estimating them helps (Li et al. 2016, "AdaBN", arXiv:1603.04779); and gamma/beta train
 * without BatchNorm's conditioning of the gradient. Choose {@link #TRAINING} for such data and large batches.
 */
public enum BatchNormMode {

    /**
     * Fine-tuned BatchNorm layers train gamma and beta but normalise with their running statistics, which stay
     * fixed: inference mode with trainable scale and shift, by {@link FixedStatisticsBatchNorm} (DL4J has no
     * such mode of its own).
     */
    FROZEN_STATISTICS,

    /**
     * Fine-tuned BatchNorm layers run as DL4J trains them: each batch is normalised with its own statistics and
     * the running averages follow them with the layer's decay; prediction uses the running averages.
     */
    TRAINING;

    /** The mode used when none is asked for. */
    public static final BatchNormMode DEFAULT = FROZEN_STATISTICS;

    /**
     * A copy of {@code graph}, with the same parameters, whose BatchNorm layers that the plan fine-tunes
     * (multiplier above 0) follow this mode; apply before {@link PlanApplier#apply}, which configures them.
     */
    public ComputationGraph apply(ComputationGraph graph, LrPlan plan) {
        if (this == TRAINING) {
            return graph;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        boolean changed = false;
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex
                    && vertex.getLayerConf().getLayer() instanceof BatchNormalization batchNorm
                    && !plan.frozen(entry.getKey())) {
                vertex.getLayerConf().setLayer(new FixedStatisticsBatchNorm(batchNorm));
                changed = true;
            }
        }
        if (!changed) {
            return graph;
        }
        ComputationGraph result = new ComputationGraph(conf);
        result.init(graph.params().dup(), false);
        return result;
    }
}
