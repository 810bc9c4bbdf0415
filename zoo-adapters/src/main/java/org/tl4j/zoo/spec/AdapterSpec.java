package org.tl4j.zoo.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a pretrained model is: its architecture, the input it expects, its classifier, the layers to read CNN
 * codes from, its layer groups for fine-tuning, and where its weights come from. Read from
 * {@code adapters/ID.json} by {@link AdapterRegistry}; immutable.
 *
 * @param id           e.g. {@code resnet50.imagenet}: architecture, then what it was trained on
 * @param description  one line for listings, naming the paper or release
 * @param architecture network family, builder, variant and width
 * @param input        preprocessing and input size
 * @param head         the classifier layer
 * @param taps         places to read CNN codes from, early to late
 * @param defaultTap   name of the tap used when none is asked for (the pooled penultimate features)
 * @param groups       layer groups from early to late, the classifier's group last
 * @param weights      where trained weights can be had; empty when there are none yet
 */
public record AdapterSpec(String id, String description, ArchitectureSpec architecture, InputSpec input,
                          HeadSpec head, List<Tap> taps, String defaultTap, List<LayerGroup> groups,
                          List<WeightSource> weights) {

    public AdapterSpec {
        Objects.requireNonNull(id, "id");
        description = description == null ? "" : description;
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(head, "head");
        taps = List.copyOf(taps == null ? List.of() : taps);
        groups = List.copyOf(groups == null ? List.of() : groups);
        weights = List.copyOf(weights == null ? List.of() : weights);
        if (taps.isEmpty()) {
            throw new IllegalArgumentException("adapter '" + id + "' lists no taps");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("adapter '" + id + "' lists no layer groups");
        }
        Set<String> names = new HashSet<>();
        for (Tap tap : taps) {
            if (!names.add(tap.name())) {
                throw new IllegalArgumentException("adapter '" + id + "' has two taps named '" + tap.name() + "'");
            }
        }
        Set<String> groupNames = new HashSet<>();
        for (LayerGroup group : groups) {
            if (!groupNames.add(group.name())) {
                throw new IllegalArgumentException("adapter '" + id + "' has two layer groups named '" + group.name() + "'");
            }
        }
        if (defaultTap == null || !names.contains(defaultTap)) {
            throw new IllegalArgumentException("adapter '" + id + "': defaultTap '" + defaultTap
                    + "' is not one of its taps " + names);
        }
    }

    /** The tap with this name. */
    public Optional<Tap> tap(String name) {
        return taps.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The tap used when none is named: the pooled penultimate features. */
    public Tap defaultTapSpec() {
        return tap(defaultTap).orElseThrow();
    }

    /** The group a layer belongs to (the first that matches), if any. */
    public Optional<LayerGroup> groupOf(String layer) {
        return groups.stream().filter(g -> g.contains(layer)).findFirst();
    }

    /** The last group, which holds the classifier. */
    public LayerGroup headGroup() {
        return groups.get(groups.size() - 1);
    }

    /** Whether any weight source is listed. */
    public boolean hasWeights() {
        return !weights.isEmpty();
    }
}
