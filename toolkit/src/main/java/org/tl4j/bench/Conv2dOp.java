package org.tl4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * libnd4j's own {@code conv2d} op on a ResNet stage-2 shape (3x3, 64 to 64 channels, 56x56, NCHW). Unlike DL4J's
 * ConvolutionLayer (im2col + gemm), this op reaches oneDNN in the -onednn builds, so it shows what those builds
 * could give once tl4j routes convolutions through it.
 */
final class Conv2dOp implements Workload {

    private final int batch;
    private INDArray input;
    private INDArray weights;
    private Conv2DConfig config;

    Conv2dOp(int batch) {
        this.batch = batch;
    }

    @Override
    public String name() {
        return "conv2d-op";
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int warmupSteps() {
        return 3;
    }

    @Override
    public void prepare(long seed) {
        Nd4j.getRandom().setSeed(seed);
        input = Nd4j.rand(DataType.FLOAT, batch, 64, 56, 56);
        weights = Nd4j.rand(DataType.FLOAT, 3, 3, 64, 64).subi(0.5).muli(0.1); // [kH, kW, iC, oC]
        config = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME).dataFormat("NCHW")
                .build();
    }

    @Override
    public void step() {
        Nd4j.cnn().conv2d(input, weights, config).close();
    }
}
