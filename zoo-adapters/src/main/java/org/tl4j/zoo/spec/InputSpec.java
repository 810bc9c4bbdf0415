package org.tl4j.zoo.spec;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model expects as input, and so how an image must be prepared for it: size, channels and their order,
 * pixel range, per-channel mean and std, and how to fit an image of another aspect ratio.
 *
 * <p>A pixel value v in 0..255 becomes {@code (v * scale - mean[c]) / std[c]}, where scale is 1/255 for
 * {@link PixelRange#UNIT} and 1 for {@link PixelRange#BYTE}; mean and std are given in the same range.
 *
 * @param height    input height in pixels
 * @param width     input width in pixels
 * @param channelOrder RGB, BGR (Caffe models) or GRAY (one channel)
 * @param pixelRange the range raw pixels are scaled to before mean/std
 * @param mean      per channel, in channel order, in the pixel range
 * @param std       per channel, in channel order, in the pixel range (all 1 for "no scaling")
 * @param resize    how an image of another aspect ratio is fitted
 */
public record InputSpec(int height, int width, ChannelOrder channelOrder, PixelRange pixelRange,
                        double[] mean, double[] std, ResizePolicy resize) {

    /** Order of the colour channels in the input tensor. */
    public enum ChannelOrder {
        RGB(3), BGR(3), GRAY(1);

        private final int channels;

        ChannelOrder(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }

    /** Range that raw 0..255 pixel values are mapped to before mean/std normalisation. */
    public enum PixelRange {
        /** 0..1 (torchvision). */
        UNIT(1.0 / 255.0),
        /** 0..255 (Caffe). */
        BYTE(1.0);

        private final double scale;

        PixelRange(double scale) {
            this.scale = scale;
        }

        /** Factor applied to a 0..255 value. */
        public double scale() {
            return scale;
        }
    }

    /** How an image whose aspect ratio differs from the input's is fitted. */
    public enum ResizePolicy {
        /** Scale the shorter side to fit, keep aspect ratio, cut the centre (ImageNet evaluation practice). */
        CENTER_CROP,
        /** Scale the longer side to fit, keep aspect ratio, pad the rest with the mean colour. */
        PAD,
        /** Scale each side independently (distorts shapes; for inputs that are already square). */
        STRETCH
    }

    public InputSpec {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        Objects.requireNonNull(channelOrder, "channelOrder");
        Objects.requireNonNull(pixelRange, "pixelRange");
        Objects.requireNonNull(resize, "resize");
        int channels = channelOrder.channels();
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " values for " + channelOrder
                    + ", got " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Number of channels in the input tensor. */
    public int channels() {
        return channelOrder.channels();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** torchvision's ImageNet preprocessing: RGB in 0..1, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
    public static InputSpec imagenetTorchvision(int size) {
        return new InputSpec(size, size, ChannelOrder.RGB, PixelRange.UNIT,
                new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}, ResizePolicy.CENTER_CROP);
    }

    /** Plain pixels scaled to 0..1, no mean or std: for small models trained by tl4j itself. */
    public static InputSpec unitRange(int height, int width, ChannelOrder order) {
        double[] zeros = new double[order.channels()];
        double[] ones = new double[order.channels()];
        Arrays.fill(ones, 1.0);
        return new InputSpec(height, width, order, PixelRange.UNIT, zeros, ones, ResizePolicy.CENTER_CROP);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec other && height == other.height && width == other.width
                && channelOrder == other.channelOrder && pixelRange == other.pixelRange
                && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std) && resize == other.resize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, channelOrder, pixelRange, Arrays.hashCode(mean), Arrays.hashCode(std), resize);
    }

    @Override
    public String toString() {
        return height + "x" + width + " " + channelOrder + " " + pixelRange + " mean=" + Arrays.toString(mean)
                + " std=" + Arrays.toString(std) + " " + resize;
    }
}
