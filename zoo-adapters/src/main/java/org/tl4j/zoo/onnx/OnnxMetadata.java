package org.tl4j.zoo.onnx;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import onnx.Onnx;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.InputSpec;

/**
 * The {@code metadata_props} keys tl4j writes into exported ONNX files, so that whoever runs the file (ONNX
 * Runtime, another toolkit) knows how to prepare an image: a pixel value v in 0..255 becomes
 * {@code (v * scale - mean[c]) / std[c]} in the channel order given, at the input size given.
 */
public final class OnnxMetadata {

    public static final String ADAPTER = "tl4j.adapter";
    public static final String HEIGHT = "tl4j.input.height";
    public static final String WIDTH = "tl4j.input.width";
    public static final String CHANNEL_ORDER = "tl4j.input.channel_order";
    public static final String LAYOUT = "tl4j.input.layout";
    public static final String PIXEL_SCALE = "tl4j.input.pixel_scale";
    public static final String MEAN = "tl4j.input.mean";
    public static final String STD = "tl4j.input.std";
    public static final String RESIZE = "tl4j.input.resize";
    public static final String TAP = "tl4j.tap";
    public static final String TAP_LAYER = "tl4j.tap.layer";
    public static final String TAP_POOLED = "tl4j.tap.pooled";

    private OnnxMetadata() {
    }

    /** The adapter's id and preprocessing. */
    public static Map<String, String> of(AdapterSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ADAPTER, spec.id());
        m.putAll(of(spec.input()));
        return m;
    }

    /** The preprocessing an input needs. */
    public static Map<String, String> of(InputSpec input) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HEIGHT, Integer.toString(input.height()));
        m.put(WIDTH, Integer.toString(input.width()));
        m.put(CHANNEL_ORDER, input.channelOrder().name());
        m.put(LAYOUT, "NCHW");
        m.put(PIXEL_SCALE, Double.toString(input.pixelRange().scale()));
        m.put(MEAN, join(input.mean()));
        m.put(STD, join(input.std()));
        m.put(RESIZE, input.resize().name());
        return m;
    }

    /** Where a cut file reads its codes. */
    public static Map<String, String> ofTap(String tapName, String layer, boolean pooled) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TAP, tapName);
        m.put(TAP_LAYER, layer);
        m.put(TAP_POOLED, Boolean.toString(pooled));
        return m;
    }

    /** The metadata of a model, in file order. */
    public static Map<String, String> read(Onnx.ModelProto model) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Onnx.StringStringEntryProto e : model.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static String join(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }
}
