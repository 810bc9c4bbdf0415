package org.tl4j.zoo.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link OnnxExporter} writes.
 *
 * @param modelName  the ONNX graph's name (also used in error messages)
 * @param cut        the vertex whose output becomes the only graph output (a tap), or null for the graph's own
 *                   outputs
 * @param pooled     with a cut: average a 4-d activation over height and width, giving [N, C] codes (as
 *                   {@code FeatureTrunk} does when pooling)
 * @param metadata   recorded as the model's {@code metadata_props} (e.g. {@link OnnxMetadata#of})
 * @param inputShape per-example input shape ({C, H, W} or {D}); DL4J configurations do not record it
 */
public record ExportOptions(String modelName, String cut, boolean pooled, Map<String, String> metadata,
                            long[] inputShape) {

    public ExportOptions {
        modelName = modelName == null || modelName.isBlank() ? "tl4j" : modelName;
        if (pooled && cut == null) {
            throw new IllegalArgumentException("pooling applies to a cut (a tap); name the layer to cut at");
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
        inputShape = inputShape == null || inputShape.length == 0 ? null : inputShape.clone();
    }

    /** The whole graph, its own outputs, no metadata, for an input of {@code inputShape} per example. */
    public static ExportOptions whole(String modelName, long... inputShape) {
        return new ExportOptions(modelName, null, false, Map.of(), inputShape);
    }

    /** The whole adapter graph, with its preprocessing recorded as metadata. */
    public static ExportOptions forAdapter(org.tl4j.zoo.spec.AdapterSpec spec) {
        org.tl4j.zoo.spec.InputSpec in = spec.input();
        return new ExportOptions(spec.id(), null, false, OnnxMetadata.of(spec),
                new long[] {in.channels(), in.height(), in.width()});
    }

    /** The graph cut at {@code layer}, whose output (pooled or not) is the only graph output. */
    public ExportOptions withCut(String layer, boolean pool) {
        return new ExportOptions(modelName, layer, pool, metadata, inputShape);
    }

    /** These options with more metadata entries (later entries win). */
    public ExportOptions withMetadata(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.putAll(more);
        return new ExportOptions(modelName, cut, pooled, all, inputShape);
    }

    /** These options with the per-example input shape ({C, H, W} or {D}). */
    public ExportOptions withInputShape(long... shape) {
        return new ExportOptions(modelName, cut, pooled, metadata, shape);
    }

    @Override
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }
}
