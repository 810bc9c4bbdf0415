package org.tl4j.bench.engines;

import java.util.Locale;
import org.deeplearning4j.nn.conf.WorkspaceMode;

/**
 * One way of running a network in tl4j, so that each performance lever is timed as one more engine, interleaved
 * with the others: {@code default} (what tl4j does), {@code ws-none} (DL4J workspaces off), {@code bn-fold}
 * (BatchNorm folded into the convolution before it wherever the layer is frozen: inference and head-only
 * training).
 */
public record Tl4jVariant(String name, WorkspaceMode workspaceMode, boolean foldBatchNorm) {

    /** The variants {@code --tl4j-variants} accepts. */
    public static final String NAMES = "default, ws-none, bn-fold";

    /** Parses a name from {@link #NAMES}. */
    public static Tl4jVariant parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "default" -> new Tl4jVariant("default", WorkspaceMode.ENABLED, false);
            case "ws-none" -> new Tl4jVariant("ws-none", WorkspaceMode.NONE, false);
            case "bn-fold" -> new Tl4jVariant("bn-fold", WorkspaceMode.ENABLED, true);
            default -> throw new IllegalArgumentException("unknown tl4j variant '" + name + "'; choose from " + NAMES);
        };
    }

    /** The engine name in the table: {@code tl4j}, or {@code tl4j[ws-none]} for a lever. */
    public String engineName() {
        return name.equals("default") ? "tl4j" : "tl4j[" + name + "]";
    }
}
