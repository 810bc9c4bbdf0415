package org.tl4j.zoo.spec;

import java.util.Objects;

/**
 * Which network an adapter is and how it is scaled. The input size is not repeated here: it is the
 * {@link InputSpec}'s height and width, so the graph and the preprocessing cannot disagree.
 *
 * @param name    architecture family, e.g. {@code resnet50}
 * @param builder fully qualified name of the {@code org.tl4j.zoo.arch.ArchitectureBuilder} that makes the graph
 * @param variant which published form of the family, e.g. {@code bvlc} or {@code torchvision}
 * @param width   width multiplier applied to every hidden layer's channel count (1 = as published)
 */
public record ArchitectureSpec(String name, String builder, String variant, double width) {

    public ArchitectureSpec {
        Objects.requireNonNull(name, "architecture.name");
        Objects.requireNonNull(builder, "architecture.builder");
        variant = variant == null ? "default" : variant;
        if (width == 0) {
            width = 1.0; // field left out of the JSON
        }
        if (!(width > 0 && width <= 4)) {
            throw new IllegalArgumentException("architecture.width must be in (0, 4], got " + width);
        }
    }
}
