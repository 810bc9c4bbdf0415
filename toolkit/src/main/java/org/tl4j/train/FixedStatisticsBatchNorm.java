package org.tl4j.train;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A BatchNorm layer that fine-tunes its scale and shift (gamma, beta) but always normalises with its running
 * statistics, which never change: BatchNorm in inference mode with trainable affine parameters, as Keras runs a
 * BatchNormalization layer called with {@code training=False}. DL4J 1.0.0-M2.1 has no such mode: its BatchNorm
 * normalises with batch statistics whenever the graph trains, and its {@code FrozenLayerWithBackprop} freezes
 * gamma and beta too and fails in BatchNorm's backward pass. Hand-written for that reason, as a wrapper in the
 * style of DL4J's own FrozenLayerWithBackprop; the wrapped layer keeps its parameters and names.
 *
 * <p>Forward: DL4J's own inference pass, y = gamma (x - mean) / sqrt(var + eps) + beta. Backward, with s =
 * 1 / sqrt(var + eps) per channel and sums over the examples (and positions of a feature map): dL/dgamma = sum
 * dL/dy (x - mean) s, dL/dbeta = sum dL/dy, dL/dx = dL/dy gamma s, and zero for mean and var, which DL4J updates
 * with a no-op updater, so they stay exactly as loaded. Only NCHW feature maps and [N, C] vectors, as in the
 * zoo networks.
 */
public class FixedStatisticsBatchNorm extends BaseWrapperLayer {

    /** For JSON deserialisation (saved models). */
    protected FixedStatisticsBatchNorm() {
    }

    public FixedStatisticsBatchNorm(BatchNormalization underlying) {
        super(underlying);
        setLayerName(underlying.getLayerName());
    }

    private BatchNormalization batchNorm() {
        return (BatchNormalization) underlying;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        org.deeplearning4j.nn.api.Layer layer = underlying.instantiate(inner, listeners, layerIndex, layerParamsView,
                initializeParams, networkDataType);
        // The outer configuration lists the same variables as the wrapped layer (as FrozenLayerWithBackprop does).
        conf.clearVariables();
        for (String variable : layer.conf().variables()) {
            conf.variables(false).add(variable);
        }
        return new Impl(layer, batchNorm());
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return underlying.getUpdaterByParam(paramName);
    }

    @Override
    public Layer clone() {
        return new FixedStatisticsBatchNorm((BatchNormalization) underlying.clone());
    }

    /** The layer at work: DL4J's BatchNorm, run in inference mode, with the backward pass described above. */
    static final class Impl extends org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer {

        private final BatchNormalization settings;

        Impl(org.deeplearning4j.nn.api.Layer underlying, BatchNormalization settings) {
            super(underlying);
            this.settings = settings;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            return underlying.activate(false, workspaceMgr);
        }

        @Override
        public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
            return underlying.activate(input, false, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray x = underlying.input();
            if ((x.rank() != 2 && x.rank() != 4)
                    || (x.rank() == 4 && settings.getCnn2DFormat() != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW)) {
                throw new IllegalStateException("layer " + settings.getLayerName() + ": fixed-statistics BatchNorm"
                        + " takes [N, C] or NCHW input, got shape " + java.util.Arrays.toString(x.shape())
                        + " in format " + settings.getCnn2DFormat() + "; use BatchNormMode.TRAINING for this model");
            }
            INDArray mean = underlying.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            INDArray invStd = inverseStd();
            INDArray gamma = underlying.getParam(BatchNormalizationParamInitializer.GAMMA);
            long channels = mean.length();
            long[] perChannel = x.rank() == 4 ? new long[] {1, channels, 1, 1} : new long[] {1, channels};
            int[] reduce = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};

            INDArray s = invStd.reshape(perChannel);
            INDArray xHat = x.sub(mean.reshape(perChannel)).muli(s);
            INDArray dGamma = epsilon.mul(xHat).sum(reduce);
            INDArray dBeta = epsilon.sum(reduce);
            INDArray dx = epsilon.mul(gamma.reshape(perChannel).mul(s));

            Map<String, INDArray> views = underlying.conf().getLayer().initializer()
                    .getGradientsFromFlattened(underlying.conf(), underlying.getGradientsViewArray());
            Gradient gradient = new DefaultGradient();
            for (Map.Entry<String, INDArray> view : views.entrySet()) {
                switch (view.getKey()) {
                    case BatchNormalizationParamInitializer.GAMMA -> view.getValue().assign(dGamma.reshape(view.getValue().shape()));
                    case BatchNormalizationParamInitializer.BETA -> view.getValue().assign(dBeta.reshape(view.getValue().shape()));
                    default -> view.getValue().assign(0); // running statistics: no change
                }
                gradient.setGradientFor(view.getKey(), view.getValue());
            }
            return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx));
        }

        /** 1 / sqrt(var + eps) per channel, from either of DL4J's storage forms (DL4J adds eps in both). */
        private INDArray inverseStd() {
            INDArray variance;
            if (settings.isUseLogStd()) {
                INDArray log10Std = underlying.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                INDArray std = Transforms.pow(log10Std.like().assign(10.0), log10Std, true);
                variance = std.mul(std);
            } else {
                variance = underlying.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).dup();
            }
            return Transforms.pow(variance.addi(settings.getEps()), -0.5, false);
        }

        @Override
        public boolean updaterDivideByMinibatch(String paramName) {
            return underlying.updaterDivideByMinibatch(paramName);
        }
    }
}
