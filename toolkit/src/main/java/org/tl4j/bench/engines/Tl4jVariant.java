package org.tl4j.bench.engines;

import java.util.Locale;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.tl4j.zoo.arch.LayerHelpers;

/**
 * One way of running a network in tl4j, so that each performance lever is timed as one more engine, interleaved
 * with the others: {@code default} (what tl4j does), {@code ws-none} (DL4J workspaces off), {@code bn-fold}
 * (BatchNorm folded into the convolution before it wherever the layer is frozen: inference and head-only
 * training), {@code dl4j-layers} (DL4J's oneDNN layer helpers off: its own im2col + gemm layers, as before tl4j
 * engaged the helpers).
 */
public record Tl4jVariant(String name, WorkspaceMode workspaceMode, boolean foldBatchNorm, boolean layerHelpers) {

    /** The variants {@code --tl4j-variants} accepts. */
    public static final String NAMES = "default, ws-none, bn-fold, dl4j-layers";

    /** Parses a name from {@link #NAMES}. */
    public static Tl4jVariant parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "default" -> new Tl4jVariant("default", WorkspaceMode.ENABLED, false, true);
            case "ws-none" -> new Tl4jVariant("ws-none", WorkspaceMode.NONE, false, true);
            case "bn-fold" -> new Tl4jVariant("bn-fold", WorkspaceMode.ENABLED, true, true);
            case "dl4j-layers" -> new Tl4jVariant("dl4j-layers", WorkspaceMode.ENABLED, false, false);
            default -> throw new IllegalArgumentException("unknown tl4j variant '" + name + "'; choose from " + NAMES);
        };
    }

    /**
     * Builds graphs the way this variant runs them: DL4J picks a layer's helper when it constructs the layer, so
     * the helper switch is set around construction only (and put back after).
     */
    public <T> T build(Supplier<T> construction) {
        return LayerHelpers.building(layerHelpers, construction);
    }

    /** The engine name in the table: {@code tl4j}, or {@code tl4j[ws-none]} for a lever. */
    public String engineName() {
        return name.equals("default") ? "tl4j" : "tl4j[" + name + "]";
    }
}
