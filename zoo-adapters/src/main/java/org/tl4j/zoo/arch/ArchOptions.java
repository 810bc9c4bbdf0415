package org.tl4j.zoo.arch;

import java.util.Objects;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * What a graph builder needs to know: input size and channels, width multiplier, number of classes, variant and
 * the seed for the random initial weights.
 *
 * @param height     input height in pixels
 * @param width      input width in pixels
 * @param channels   input channels (3 for RGB/BGR, 1 for grey)
 * @param widthMultiplier factor on every hidden layer's channel count (1 = as published)
 * @param classes    outputs of the classifier
 * @param variant    which published form of the architecture (builder-specific, e.g. {@code bvlc}, {@code torchvision})
 * @param seed       seed of the weight initialisation
 */
public record ArchOptions(int height, int width, int channels, double widthMultiplier, int classes, String variant,
                          long seed) {

    /** tl4j's one default seed. */
    public static final long DEFAULT_SEED = 42L;

    public ArchOptions {
        if (height < 1 || width < 1 || channels < 1 || classes < 1) {
            throw new IllegalArgumentException("input size, channels and classes must be positive, got "
                    + height + "x" + width + "x" + channels + " and " + classes + " classes");
        }
        if (!(widthMultiplier > 0)) {
            throw new IllegalArgumentException("width multiplier must be positive, got " + widthMultiplier);
        }
        Objects.requireNonNull(variant, "variant");
    }

    /** Square RGB input of the given size, full width, ImageNet's 1000 classes, the default seed. */
    public static ArchOptions imagenet(int size, String variant) {
        return new ArchOptions(size, size, 3, 1.0, 1000, variant, DEFAULT_SEED);
    }

    /** The options an adapter descriptor asks for. */
    public static ArchOptions of(AdapterSpec spec) {
        return new ArchOptions(spec.input().height(), spec.input().width(), spec.input().channels(),
                spec.architecture().width(), spec.head().classes(), spec.architecture().variant(), DEFAULT_SEED);
    }

    /** The same options with another seed. */
    public ArchOptions withSeed(long newSeed) {
        return new ArchOptions(height, width, channels, widthMultiplier, classes, variant, newSeed);
    }

    /** The same options at another input size and width (for small versions trained on a CPU). */
    public ArchOptions scaled(int size, double newWidthMultiplier) {
        return new ArchOptions(size, size, channels, newWidthMultiplier, classes, variant, seed);
    }

    /** A published channel count scaled by the width multiplier, at least 1. */
    public int scale(int channels) {
        return Math.max(1, (int) Math.round(channels * widthMultiplier));
    }

    /** Like {@link #scale} but a multiple of {@code groups}, for layers split into that many groups. */
    public int scale(int channels, int groups) {
        return groups * Math.max(1, (int) Math.round(channels * widthMultiplier / groups));
    }
}
