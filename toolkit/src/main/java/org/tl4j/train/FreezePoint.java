package org.tl4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;

/**
 * How far to freeze a network: nothing, or everything up to and including a tap, a layer or a layer group of the
 * adapter. "Up to" means the point and every layer it depends on (its upstream closure); in the zoo networks,
 * chains of blocks, that is exactly the topological prefix ending at the point, and it is always a set
 * {@link PlanApplier} can freeze with DL4J's FrozenLayer (nothing upstream of a frozen layer trains).
 *
 * @param kind what {@code name} names
 * @param name the tap, layer or group; empty for {@link Kind#NONE}
 */
public record FreezePoint(Kind kind, String name) {

    /** What a freeze point names. */
    public enum Kind { NONE, TAP, LAYER, GROUP }

    /** Nothing frozen: every layer fine-tunes. */
    public static final FreezePoint NONE = new FreezePoint(Kind.NONE, "");

    /**
     * Parses {@code none}, {@code tap:NAME}, {@code layer:NAME} or {@code group:NAME} (e.g. {@code tap:res4f},
     * {@code layer:conv1}, {@code group:res3}).
     */
    public static FreezePoint parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.equalsIgnoreCase("none")) {
            return NONE;
        }
        int colon = value.indexOf(':');
        Kind kind = null;
        if (colon > 0) {
            try {
                kind = Kind.valueOf(value.substring(0, colon).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                kind = null;
            }
        }
        if (kind == null || kind == Kind.NONE || value.substring(colon + 1).isBlank()) {
            throw new InvalidInputException("--freeze '" + value + "': expected none, tap:NAME, layer:NAME or"
                    + " group:NAME (e.g. tap:res4f)");
        }
        return new FreezePoint(kind, value.substring(colon + 1).strip());
    }

    /**
     * The layers with parameters that this point freezes, in topological order.
     *
     * @throws InvalidInputException when the tap, layer or group is not the adapter's / graph's
     */
    public Set<String> frozenLayers(ComputationGraph graph, AdapterSpec spec) {
        Set<String> start = switch (kind) {
            case NONE -> Set.of();
            case TAP -> Set.of(spec.tap(name).orElseThrow(() -> new InvalidInputException("--freeze tap:" + name
                    + ": adapter " + spec.id() + " has no such tap; use one of "
                    + spec.taps().stream().map(Tap::name).collect(Collectors.joining(", ")))).layer());
            case LAYER -> {
                if (graph.getVertex(name) == null) {
                    throw new InvalidInputException("--freeze layer:" + name + ": the " + spec.id() + " graph has no"
                            + " such layer (./tl4j zoo info " + spec.id() + " lists them)");
                }
                yield Set.of(name);
            }
            case GROUP -> groupLayers(graph, spec);
        };
        Set<String> closure = HeadSurgery.upstreamClosure(graph.getConfiguration(), start);
        Set<String> frozen = new LinkedHashSet<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[index];
            if (closure.contains(vertex.getVertexName()) && vertex.hasLayer() && vertex.getLayer().numParams() > 0) {
                frozen.add(vertex.getVertexName());
            }
        }
        return frozen;
    }

    /** Layers of the named group and of every group before it. */
    private Set<String> groupLayers(ComputationGraph graph, AdapterSpec spec) {
        List<String> names = spec.groups().stream().map(LayerGroup::name).toList();
        int last = names.indexOf(name);
        if (last < 0) {
            throw new InvalidInputException("--freeze group:" + name + ": adapter " + spec.id() + " has no such"
                    + " group; use one of " + String.join(", ", names));
        }
        List<LayerGroup> groups = spec.groups().subList(0, last + 1);
        Set<String> result = new LinkedHashSet<>();
        for (GraphVertex vertex : graph.getVertices()) {
            if (groups.stream().anyMatch(g -> g.contains(vertex.getVertexName()))) {
                result.add(vertex.getVertexName());
            }
        }
        return result;
    }

    /**
     * The plan with multiplier 0 on every layer this point freezes (PlanApplier then wraps them in DL4J's
     * FrozenLayer); each group that is partly frozen is split into its frozen part, named {@code GROUP (frozen)},
     * and the rest.
     *
     * @throws InvalidInputException when the point would freeze every layer, leaving nothing to train
     */
    public LrPlan applyTo(LrPlan plan, ComputationGraph graph, AdapterSpec spec) {
        Set<String> frozen = frozenLayers(graph, spec);
        if (frozen.containsAll(plan.layerMultipliers().keySet())) {
            throw new InvalidInputException("--freeze " + this + " freezes every layer of " + spec.id()
                    + ", leaving nothing to train; freeze at an earlier tap, layer or group");
        }
        List<LrPlan.GroupRate> groups = new ArrayList<>();
        Map<String, Double> multipliers = new LinkedHashMap<>(plan.layerMultipliers());
        for (LrPlan.GroupRate group : plan.groups()) {
            List<String> frozenPart = group.layers().stream().filter(frozen::contains).toList();
            List<String> rest = group.layers().stream().filter(l -> !frozen.contains(l)).toList();
            if (!frozenPart.isEmpty()) {
                groups.add(new LrPlan.GroupRate(rest.isEmpty() ? group.group() : group.group() + " (frozen)", 0.0,
                        frozenPart));
                frozenPart.forEach(layer -> multipliers.put(layer, 0.0));
            }
            if (!rest.isEmpty() || frozenPart.isEmpty()) {
                groups.add(new LrPlan.GroupRate(group.group(), group.multiplier(), rest));
            }
        }
        return new LrPlan(plan.baseRate(), groups, multipliers);
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
