package org.tl4j.zoo.onnx;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import onnx.Onnx;

/**
 * Typed access to one node's attributes. Every attribute a converter does not read is reported by
 * {@link #requireAllRead()}, so an attribute the importer does not understand is an error rather than being
 * silently ignored.
 */
final class NodeAttributes {

    private final OnnxNode node;
    private final Map<String, Onnx.AttributeProto> byName = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    NodeAttributes(OnnxNode node, Onnx.NodeProto proto) {
        this.node = node;
        for (Onnx.AttributeProto a : proto.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        read.add(name);
        return byName.containsKey(name);
    }

    long getInt(String name, long defaultValue) {
        Onnx.AttributeProto a = get(name);
        return a == null ? defaultValue : a.getI();
    }

    float getFloat(String name, float defaultValue) {
        Onnx.AttributeProto a = get(name);
        return a == null ? defaultValue : a.getF();
    }

    String getString(String name, String defaultValue) {
        Onnx.AttributeProto a = get(name);
        return a == null ? defaultValue : a.getS().toStringUtf8();
    }

    /** The ints of a list attribute, or {@code null} when absent. */
    long[] getInts(String name) {
        Onnx.AttributeProto a = get(name);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    float[] getFloats(String name) {
        Onnx.AttributeProto a = get(name);
        if (a == null) {
            return null;
        }
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.getFloats(i);
        }
        return f;
    }

    Onnx.TensorProto getTensor(String name) {
        Onnx.AttributeProto a = get(name);
        return a == null ? null : a.getT();
    }

    /** Marks attributes that are accepted but have no effect on inference (and are checked by the caller). */
    void ignore(String... names) {
        read.addAll(Set.of(names));
    }

    /** Fails naming the first attribute that no converter code looked at. */
    void requireAllRead() {
        for (String name : byName.keySet()) {
            if (!read.contains(name)) {
                throw node.unsupported("attribute '" + name + "' is not supported by the importer");
            }
        }
    }

    private Onnx.AttributeProto get(String name) {
        read.add(name);
        return byName.get(name);
    }
}
