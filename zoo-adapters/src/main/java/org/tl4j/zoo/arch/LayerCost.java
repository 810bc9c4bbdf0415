package org.tl4j.zoo.arch;

import java.util.Arrays;

/**
 * Size and cost of one graph vertex for one input example.
 *
 * @param name            vertex name
 * @param kind            DL4J layer or vertex class, e.g. {@code ConvolutionLayer}, {@code MergeVertex}
 * @param outputShape     per-example output: {C, H, W} or {D}
 * @param parameters      parameters as DL4J stores them (BatchNorm's running mean and variance included)
 * @param trainable       parameters a gradient updates (BatchNorm's running statistics excluded): the count
 *                        PyTorch reports
 * @param multiplyAdds    multiply-adds of one forward pass: convolutions and fully connected layers only (bias,
 *                        BatchNorm, activations, pooling and normalisation are not counted, as is usual for CNNs)
 */
public record LayerCost(String name, String kind, long[] outputShape, long parameters, long trainable,
                        long multiplyAdds) {

    public LayerCost {
        outputShape = outputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** The output shape as {@code CxHxW} or {@code D}. */
    public String outputShapeText() {
        StringBuilder text = new StringBuilder();
        for (long d : outputShape) {
            text.append(text.length() == 0 ? "" : "x").append(d);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerCost c && name.equals(c.name) && kind.equals(c.kind)
                && Arrays.equals(outputShape, c.outputShape) && parameters == c.parameters
                && trainable == c.trainable && multiplyAdds == c.multiplyAdds;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(outputShape);
    }
}
