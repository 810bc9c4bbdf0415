package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How far an output is from a reference: relative error = max|actual - expected| / max(max|expected|, 1e-6),
 * i.e. the worst absolute error measured against the reference's scale (the floor keeps all-zero references
 * from dividing by zero).
 */
record Parity(double maxAbs, double relative) {

    static final double FLOOR = 1e-6;

    static Parity of(INDArray actual, INDArray expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError("shape " + Arrays.toString(actual.shape()) + " differs from the reference "
                    + Arrays.toString(expected.shape()));
        }
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        double maxAbs = a.sub(e).amaxNumber().doubleValue();
        double scale = Math.max(e.amaxNumber().doubleValue(), FLOOR);
        return new Parity(maxAbs, maxAbs / scale);
    }

    @Override
    public String toString() {
        return String.format("max abs %.3g, relative %.3g", maxAbs, relative);
    }
}
