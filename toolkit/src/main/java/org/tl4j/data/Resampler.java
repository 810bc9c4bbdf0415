package org.tl4j.data;

/**
 * Resizes a box of an 8-bit image with a separable triangle (bilinear) filter whose support widens with the
 * downscale factor, as Pillow's {@code BILINEAR} does. Written by hand because Java2D's bilinear scaling samples
 * only 2x2 pixels (aliasing when shrinking a photo to 224 pixels) and converts grey images through a linear
 * colour space; this one is exact at scale 1, so a tensor can be checked pixel by pixel.
 */
final class Resampler {

    private Resampler() {
    }

    /**
     * Resamples the source box (x0, y0, boxW, boxH), in source pixel coordinates, to outW x outH.
     *
     * @return samples 0..255, interleaved like the source ({@code out[(y * outW + x) * channels + c]})
     */
    static float[] resample(DecodedImage src, double x0, double y0, double boxW, double boxH, int outW, int outH) {
        int c = src.channels();
        int w = src.width();
        Weights wx = Weights.of(w, x0, boxW, outW);
        Weights wy = Weights.of(src.height(), y0, boxH, outH);
        byte[] pixels = src.pixels();
        // Horizontal pass over only the source rows the vertical pass will read.
        int rowFrom = wy.first[0];
        int rowTo = wy.first[outH - 1] + wy.weights[outH - 1].length;
        float[] horizontal = new float[(rowTo - rowFrom) * outW * c];
        for (int y = rowFrom; y < rowTo; y++) {
            int rowBase = y * w * c;
            int outBase = (y - rowFrom) * outW * c;
            for (int ox = 0; ox < outW; ox++) {
                float[] k = wx.weights[ox];
                int first = wx.first[ox];
                for (int ch = 0; ch < c; ch++) {
                    float sum = 0;
                    for (int i = 0; i < k.length; i++) {
                        sum += k[i] * (pixels[rowBase + (first + i) * c + ch] & 0xFF);
                    }
                    horizontal[outBase + ox * c + ch] = sum;
                }
            }
        }
        float[] out = new float[outW * outH * c];
        int stride = outW * c;
        for (int oy = 0; oy < outH; oy++) {
            float[] k = wy.weights[oy];
            int first = wy.first[oy] - rowFrom;
            for (int i = 0; i < stride; i++) {
                float sum = 0;
                for (int j = 0; j < k.length; j++) {
                    sum += k[j] * horizontal[(first + j) * stride + i];
                }
                out[oy * stride + i] = Math.max(0f, Math.min(255f, sum));
            }
        }
        return out;
    }

    /** For each output pixel along one axis: the first source pixel it reads and the normalised filter weights. */
    private record Weights(int[] first, float[][] weights) {

        static Weights of(int inSize, double boxStart, double boxSize, int outSize) {
            double scale = boxSize / outSize;
            double support = Math.max(1.0, scale);
            int[] first = new int[outSize];
            float[][] weights = new float[outSize][];
            for (int o = 0; o < outSize; o++) {
                double centre = boxStart + (o + 0.5) * scale;
                int from = Math.max(0, (int) Math.floor(centre - support));
                int to = Math.min(inSize, (int) Math.ceil(centre + support));
                double[] raw = new double[Math.max(1, to - from)];
                double total = 0;
                for (int i = 0; i < to - from; i++) {
                    double t = Math.abs((from + i + 0.5 - centre) / support);
                    raw[i] = Math.max(0.0, 1.0 - t);
                    total += raw[i];
                }
                if (total == 0) {
                    // The box lies outside the image (cannot happen for crop/pad boxes); take the nearest pixel.
                    from = Math.min(inSize - 1, Math.max(0, (int) centre));
                    raw = new double[] {1.0};
                    total = 1.0;
                }
                float[] k = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    k[i] = (float) (raw[i] / total);
                }
                first[o] = from;
                weights[o] = k;
            }
            return new Weights(first, weights);
        }
    }
}
