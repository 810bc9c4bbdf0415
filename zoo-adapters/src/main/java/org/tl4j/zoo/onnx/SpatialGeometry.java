package org.tl4j.zoo.onnx;

/**
 * Window arithmetic for 2-D convolution and pooling, and the choice of a DL4J layout that reproduces ONNX's
 * windows exactly. Pure functions, so each rule is testable on its own.
 *
 * <p>Arrays are per spatial dimension (height, width). Pads are split into {@code begin} (top, left) and
 * {@code end} (bottom, right), as in ONNX's {@code pads = [h_begin, w_begin, h_end, w_end]}.
 */
final class SpatialGeometry {

    /** How DL4J is to lay out a pooling layer so that its windows equal ONNX's. */
    enum PoolingMode {
        /** DL4J ConvolutionMode.Truncate with padding {@link PoolingPlan#padding()} (ONNX's begin pads). */
        TRUNCATE,
        /** DL4J ConvolutionMode.Same: output ceil(in/stride), padding floor(total/2) before, the rest after. */
        SAME,
        /** A ZeroPaddingLayer with {@link PoolingPlan#zeroPadding()}, then Truncate without padding. */
        ZERO_PAD_THEN_TRUNCATE
    }

    /**
     * @param padding     symmetric padding (h, w) for TRUNCATE
     * @param zeroPadding (top, bottom, left, right) for ZERO_PAD_THEN_TRUNCATE, else {@code null}
     */
    record PoolingPlan(PoolingMode mode, int[] padding, int[] zeroPadding) {
    }

    private SpatialGeometry() {
    }

    static int effectiveKernel(int kernel, int dilation) {
        return (kernel - 1) * dilation + 1;
    }

    /**
     * Resolves ONNX {@code auto_pad} into explicit pads {@code [h_begin, w_begin, h_end, w_end]}.
     *
     * @param autoPad NOTSET (use {@code pads}), VALID, SAME_UPPER or SAME_LOWER
     * @param pads    the {@code pads} attribute, or {@code null} for zeros
     */
    static int[] explicitPads(String autoPad, long[] pads, long[] in, int[] kernel, int[] stride, int[] dilation,
                              OnnxNode node) {
        int[] result = new int[4];
        switch (autoPad) {
            case "NOTSET", "" -> {
                if (pads != null) {
                    if (pads.length != 4) {
                        throw node.unsupported("pads " + java.util.Arrays.toString(pads)
                                + " is not 2-D; the importer handles 2-D windows only");
                    }
                    for (int i = 0; i < 4; i++) {
                        result[i] = Math.toIntExact(pads[i]);
                    }
                }
            }
            case "VALID" -> {
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < 2; i++) {
                    long out = ceilDiv(in[i], stride[i]);
                    int total = (int) Math.max(0,
                            (out - 1) * stride[i] + effectiveKernel(kernel[i], dilation[i]) - in[i]);
                    int small = total / 2;
                    // SAME_UPPER puts the odd extra cell at the end, SAME_LOWER at the beginning.
                    result[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    result[i + 2] = total - result[i];
                }
            }
            default -> throw node.unsupported("auto_pad '" + autoPad + "' is not one of NOTSET, VALID, "
                    + "SAME_UPPER, SAME_LOWER");
        }
        for (int p : result) {
            if (p < 0) {
                throw node.unsupported("negative pads " + java.util.Arrays.toString(result));
            }
        }
        return result;
    }

    /** Output size of a convolution or floor-mode pooling. */
    static long floorOutput(long in, int kernel, int stride, int dilation, int padBegin, int padEnd) {
        return Math.floorDiv(in + padBegin + padEnd - effectiveKernel(kernel, dilation), stride) + 1;
    }

    /**
     * Output size of pooling, with ceil mode as PyTorch and ONNX Runtime compute it: the last window must start
     * inside the input or the begin padding.
     */
    static long poolOutput(long in, int kernel, int stride, int dilation, int padBegin, int padEnd,
                           boolean ceilMode) {
        long span = in + padBegin + padEnd - effectiveKernel(kernel, dilation);
        if (!ceilMode) {
            return Math.floorDiv(span, stride) + 1;
        }
        long out = ceilDiv(span, stride) + 1;
        if ((out - 1) * stride >= in + padBegin) {
            out--;
        }
        return out;
    }

    /**
     * Finds a DL4J pooling layout whose windows (start, extent, and for average pooling the divisor) equal those
     * of ONNX for the given pads and output size, or returns {@code null} when there is none.
     *
     * @param countIncludePad average pooling that divides by the full window (padding cells count as zeros);
     *                        false for max pooling and for average pooling that divides by the valid cells
     * @param isMax           max pooling: padding may never be filled with zeros
     */
    static PoolingPlan planPooling(long[] in, int[] kernel, int[] stride, int[] dilation, int[] pads, long[] out,
                                   boolean isMax, boolean countIncludePad) {
        boolean truncate = true;
        boolean same = true;
        boolean zeroPad = !isMax;
        for (int i = 0; i < 2; i++) {
            int begin = pads[i];
            int end = pads[i + 2];
            int k = effectiveKernel(kernel[i], dilation[i]);
            // Truncate with DL4J padding = begin on both sides: windows start where ONNX's do; they agree when the
            // window count is the same (padding after the input is then either unused or ignored like ONNX's).
            boolean truncateWindows = floorOutput(in[i], kernel[i], stride[i], dilation[i], begin, begin) == out[i];
            if (countIncludePad) {
                // DL4J divides by the full window: no window may reach past ONNX's end padding.
                truncateWindows &= (out[i] - 1) * stride[i] - begin + k <= in[i] + end;
            }
            truncate &= truncateWindows;
            // Same: DL4J pads floor(total/2) before; windows past the input are clipped (cells ignored).
            long sameOut = ceilDiv(in[i], stride[i]);
            long total = Math.max(0, (sameOut - 1) * stride[i] + k - in[i]);
            boolean sameWindows = sameOut == out[i] && begin == total / 2;
            if (countIncludePad) {
                // ONNX counts padding cells but not cells past the end padding: all windows must be inside it.
                sameWindows &= end >= total - total / 2;
            }
            same &= sameWindows;
            // Explicit zeros then no padding: exact when padding counts as zeros and no window overhangs.
            zeroPad &= countIncludePad && floorOutput(in[i], kernel[i], stride[i], dilation[i], begin, end) == out[i];
        }
        if (truncate) {
            return new PoolingPlan(PoolingMode.TRUNCATE, new int[] {pads[0], pads[1]}, null);
        }
        if (same) {
            return new PoolingPlan(PoolingMode.SAME, new int[] {0, 0}, null);
        }
        if (zeroPad) {
            return new PoolingPlan(PoolingMode.ZERO_PAD_THEN_TRUNCATE, new int[] {0, 0},
                    new int[] {pads[0], pads[2], pads[1], pads[3]});
        }
        return null;
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
