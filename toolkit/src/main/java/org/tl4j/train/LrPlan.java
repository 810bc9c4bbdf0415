package org.tl4j.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;

/**
 * Per-layer learning-rate multipliers in the style of Caffe's {@code lr_mult}, built from an adapter's layer
 * groups: the rate of a layer is {@code baseRate * multiplier(layer)}, and multiplier 0 means frozen. A pure
 * function of the descriptor, the graph's trainable layers and the user's choice, so it can be printed by
 * {@code --dry-run}, saved in run.json and tested without training.
 *
 * <p>Three ways to set the multipliers, in order of precedence: explicit {@code --lr-mult group=value,...};
 * {@code --discriminative D}, which spreads them geometrically from 1/D on the earliest group to 1 on the head
 * (fastai's {@code slice(lr/D, lr)}); otherwise the descriptor's defaults.
 */
public record LrPlan(double baseRate, List<GroupRate> groups, Map<String, Double> layerMultipliers) {

    /** One group's multiplier and the graph layers it covers. */
    public record GroupRate(String group, double multiplier, List<String> layers) {
    }

    public LrPlan {
        if (!(baseRate > 0) || Double.isInfinite(baseRate)) {
            throw new InvalidInputException("the learning rate must be a positive number, got " + baseRate);
        }
        groups = List.copyOf(groups);
        layerMultipliers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layerMultipliers));
    }

    /**
     * @param spec            the adapter whose groups define the plan
     * @param trainableLayers the graph's layers that have parameters, in graph order
     * @param baseRate        the base (head) learning rate
     * @param overrides       {@code group=multiplier,...} (may be empty), e.g. {@code head=10,res5=1,stem=0}
     * @param discriminative  D > 1 to spread multipliers geometrically from 1/D to 1; empty for none
     */
    public static LrPlan of(AdapterSpec spec, Collection<String> trainableLayers, double baseRate,
                            String overrides, Optional<Double> discriminative) {
        List<LayerGroup> specGroups = spec.groups();
        Map<String, Double> multipliers = new LinkedHashMap<>();
        for (int i = 0; i < specGroups.size(); i++) {
            multipliers.put(specGroups.get(i).name(), discriminative.isPresent()
                    ? geometric(discriminative.get(), i, specGroups.size()) : specGroups.get(i).lrMultiplier());
        }
        parseOverrides(spec, overrides).forEach(multipliers::put);

        List<GroupRate> groups = new ArrayList<>();
        Map<String, Double> byLayer = new LinkedHashMap<>();
        for (LayerGroup group : specGroups) {
            List<String> members = trainableLayers.stream().filter(group::contains)
                    .filter(layer -> !byLayer.containsKey(layer)).toList();
            double multiplier = multipliers.get(group.name());
            members.forEach(layer -> byLayer.put(layer, multiplier));
            groups.add(new GroupRate(group.name(), multiplier, members));
        }
        List<String> uncovered = trainableLayers.stream().filter(l -> !byLayer.containsKey(l)).toList();
        if (!uncovered.isEmpty()) {
            throw new IllegalArgumentException("adapter " + spec.id() + " puts no group over trainable layers "
                    + uncovered + "; fix its descriptor's groups");
        }
        return new LrPlan(baseRate, groups, byLayer);
    }

    /** Multiplier of group i of n: (1/D)^((n-1-i)/(n-1)), so 1/D for the first group and 1 for the last. */
    static double geometric(double d, int i, int n) {
        if (!(d >= 1) || Double.isInfinite(d)) {
            throw new InvalidInputException("--discriminative needs a factor >= 1 (e.g. 100), got " + d);
        }
        return n == 1 ? 1.0 : Math.pow(1.0 / d, (double) (n - 1 - i) / (n - 1));
    }

    private static Map<String, Double> parseOverrides(AdapterSpec spec, String text) {
        Map<String, Double> result = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return result;
        }
        List<String> names = spec.groups().stream().map(LayerGroup::name).toList();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            String group = kv[0].strip();
            if (kv.length != 2 || !names.contains(group)) {
                throw new InvalidInputException("--lr-mult '" + pair.strip() + "': expected GROUP=MULTIPLIER with a"
                        + " group of " + spec.id() + ": " + String.join(", ", names));
            }
            double value;
            try {
                value = Double.parseDouble(kv[1].strip());
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new InvalidInputException("--lr-mult " + group + ": the multiplier must be a number >= 0"
                        + " (0 freezes the group), got '" + kv[1].strip() + "'");
            }
            result.put(group, value);
        }
        return result;
    }

    /** The multiplier of one layer (0 = frozen). */
    public double multiplier(String layer) {
        Double value = layerMultipliers.get(layer);
        if (value == null) {
            throw new IllegalArgumentException("layer " + layer + " is not in this plan");
        }
        return value;
    }

    /** Whether the layer is frozen (multiplier 0). */
    public boolean frozen(String layer) {
        return multiplier(layer) == 0;
    }

    /** A table for --dry-run and the report: group, multiplier, effective rate, layers. */
    @Override
    public String toString() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-12s %10s %12s  %s%n",
                "GROUP", "MULTIPLIER", "RATE", "LAYERS"));
        for (GroupRate group : groups) {
            String layers = group.layers().size() <= 4 ? String.join(", ", group.layers())
                    : group.layers().get(0) + " ... " + group.layers().get(group.layers().size() - 1)
                    + " (" + group.layers().size() + ")";
            table.append(String.format(Locale.ROOT, "%-12s %10.4g %12s  %s%n", group.group(), group.multiplier(),
                    group.multiplier() == 0 ? "frozen" : String.format(Locale.ROOT, "%.3g", baseRate * group.multiplier()),
                    layers));
        }
        return table.toString();
    }
}
