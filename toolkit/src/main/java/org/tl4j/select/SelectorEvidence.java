package org.tl4j.select;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything the selector reads, measured on the target's training images only (never its test images).
 *
 * @param size           how much labelled data there is
 * @param pretrained     scores of the pretrained network's candidate taps, early to late (the last is the top)
 * @param randomInit     scores of the same taps of the same architecture with random weights (same seed as the
 *                       head's): what the architecture gives without the source's training; empty when not measured
 * @param rawPixelProbe  linear-probe accuracy on the (downsampled) pixels themselves, when measured
 * @param leep           LEEP of the source head on the training images, when the adapter has its source head
 * @param groups         the adapter's layer groups, early to late, the head's group last
 * @param imagesPerSecond measured forward throughput of the full network on this machine, when known
 * @param sourceTrained  whether the "pretrained" network has trained weights at all (an adapter without weights
 *                       is measured with random ones, and there is then no source to transfer from)
 * @param batchNorm      whether the network has BatchNorm layers: on tl4j's transfer grid the one architecture
 *                       without them (AlexNet) was the one that fine-tuning served best on small targets
 */
public record SelectorEvidence(SizeFacts size, List<TapScores> pretrained, List<TapScores> randomInit,
                               OptionalDouble rawPixelProbe, OptionalDouble leep, List<String> groups,
                               OptionalDouble imagesPerSecond, boolean sourceTrained, boolean batchNorm) {

    /** Evidence about a network with trained weights and BatchNorm layers (as ResNet and GoogLeNet have). */
    public SelectorEvidence(SizeFacts size, List<TapScores> pretrained, List<TapScores> randomInit,
                            OptionalDouble rawPixelProbe, OptionalDouble leep, List<String> groups,
                            OptionalDouble imagesPerSecond) {
        this(size, pretrained, randomInit, rawPixelProbe, leep, groups, imagesPerSecond, true, true);
    }

    public SelectorEvidence {
        Objects.requireNonNull(size, "size");
        pretrained = List.copyOf(pretrained);
        randomInit = List.copyOf(randomInit == null ? List.of() : randomInit);
        rawPixelProbe = rawPixelProbe == null ? OptionalDouble.empty() : rawPixelProbe;
        leep = leep == null ? OptionalDouble.empty() : leep;
        groups = List.copyOf(groups);
        imagesPerSecond = imagesPerSecond == null ? OptionalDouble.empty() : imagesPerSecond;
        if (pretrained.isEmpty()) {
            throw new IllegalArgumentException("the selector needs the scores of at least one tap");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("the selector needs the adapter's layer groups");
        }
    }

    /** The top (last) tap's scores. */
    public TapScores top() {
        return pretrained.get(pretrained.size() - 1);
    }

    /** The random-init scores of a tap, if measured. */
    public Optional<TapScores> randomInit(String tap) {
        return randomInit.stream().filter(t -> t.tap().equals(tap)).findFirst();
    }

    /** Accuracy of always answering the largest class: the probe's chance level. */
    public double chance() {
        return (double) size.maxPerClass() / size.images();
    }
}
