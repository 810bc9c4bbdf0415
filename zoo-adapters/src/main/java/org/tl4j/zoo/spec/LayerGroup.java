package org.tl4j.zoo.spec;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Consecutive layers trained at one learning-rate multiplier (discriminative fine-tuning). Groups are listed
 * from early to late; the classifier's group comes last.
 *
 * @param name         e.g. {@code stem}, {@code res4}, {@code head}
 * @param lrMultiplier default factor on the base learning rate for this group's layers
 * @param layers       layer names; {@code *} matches any run of characters (e.g. {@code res2*})
 */
public record LayerGroup(String name, double lrMultiplier, List<String> layers) {

    public LayerGroup {
        Objects.requireNonNull(name, "group.name");
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layer group '" + name + "' lists no layers");
        }
        if (!(lrMultiplier >= 0)) {
            throw new IllegalArgumentException("layer group '" + name + "' needs lrMultiplier >= 0, got " + lrMultiplier);
        }
        layers = List.copyOf(layers);
    }

    /** Whether the layer belongs to this group. */
    public boolean contains(String layer) {
        return layers.stream().anyMatch(p -> matches(p, layer));
    }

    /** Whether a pattern of {@link #layers()} matches the layer name. */
    public static boolean matches(String pattern, String layer) {
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(layer);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return layer.matches(regex.toString());
    }
}
