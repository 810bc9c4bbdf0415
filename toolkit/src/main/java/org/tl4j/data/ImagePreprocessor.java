package org.tl4j.data;

import java.util.Objects;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Turns a decoded image into a model's input, as its {@link InputSpec} says: channel count and order, size
 * (centre crop, pad or stretch, aspect ratio kept for the first two), pixel range, mean and std; the result is
 * planar (CHW) float.
 */
public final class ImagePreprocessor {

    private final InputSpec spec;
    private final int height;
    private final int width;
    private final int channels;
    /** Per output channel: which channel of an RGB (or grey) image it takes. */
    private final int[] sourceChannel;
    private final float[] scale;
    private final float[] shift;

    public ImagePreprocessor(InputSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.height = spec.height();
        this.width = spec.width();
        this.channels = spec.channels();
        this.sourceChannel = switch (spec.channelOrder()) {
            case RGB -> new int[] {0, 1, 2};
            case BGR -> new int[] {2, 1, 0};
            case GRAY -> new int[] {0};
        };
        double[] mean = spec.mean();
        double[] std = spec.std();
        double range = spec.pixelRange().scale();
        scale = new float[channels];
        shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            // (v * range - mean) / std  ==  v * scale + shift
            scale[c] = (float) (range / std[c]);
            shift[c] = (float) (-mean[c] / std[c]);
        }
    }

    /** The spec this preprocessor follows. */
    public InputSpec spec() {
        return spec;
    }

    /** Number of floats one image takes: channels x height x width. */
    public int imageLength() {
        return channels * height * width;
    }

    /** One image as a new CHW array. */
    public float[] toChw(DecodedImage image) {
        float[] out = new float[imageLength()];
        writeChw(image, out, 0);
        return out;
    }

    /** Writes one image as CHW into {@code dest} from {@code offset} (one slot of an NCHW batch). */
    public void writeChw(DecodedImage image, float[] dest, int offset) {
        DecodedImage source = image.withChannels(channels);
        int w = source.width();
        int h = source.height();
        int plane = height * width;
        switch (spec.resize()) {
            case STRETCH -> place(Resampler.resample(source, 0, 0, w, h, width, height), width, height, 0, 0,
                    dest, offset);
            case CENTER_CROP -> {
                double s = Math.max((double) width / w, (double) height / h);
                double boxW = width / s;
                double boxH = height / s;
                float[] px = Resampler.resample(source, (w - boxW) / 2, (h - boxH) / 2, boxW, boxH, width, height);
                place(px, width, height, 0, 0, dest, offset);
            }
            case PAD -> {
                double s = Math.min((double) width / w, (double) height / h);
                int fitW = Math.max(1, Math.min(width, (int) Math.round(w * s)));
                int fitH = Math.max(1, Math.min(height, (int) Math.round(h * s)));
                // The padding is the mean colour, which normalises to exactly 0.
                java.util.Arrays.fill(dest, offset, offset + channels * plane, 0f);
                place(Resampler.resample(source, 0, 0, w, h, fitW, fitH), fitW, fitH,
                        (width - fitW) / 2, (height - fitH) / 2, dest, offset);
            }
        }
    }

    /** Normalises interleaved 0..255 samples (pw x ph) into the CHW slot at (left, top). */
    private void place(float[] px, int pw, int ph, int left, int top, float[] dest, int offset) {
        int plane = height * width;
        int sourceChannels = channels;
        for (int c = 0; c < channels; c++) {
            int from = sourceChannel[c];
            float a = scale[c];
            float b = shift[c];
            int base = offset + c * plane;
            for (int y = 0; y < ph; y++) {
                int row = base + (top + y) * width + left;
                int srcRow = y * pw * sourceChannels;
                for (int x = 0; x < pw; x++) {
                    dest[row + x] = px[srcRow + x * sourceChannels + from] * a + b;
                }
            }
        }
    }
}
