package org.tl4j.zoo.spec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named place to read CNN codes from: the output of one graph layer and its size for the adapter's input.
 *
 * @param name  what users call it (the published blob name, e.g. {@code res4f}, {@code pool5}, {@code fc7})
 * @param layer the DL4J vertex whose output it is (e.g. {@code res4f_relu}: Caffe's in-place ReLU output)
 * @param shape per-example size: {C, H, W} for a feature map, {D} for a vector
 */
public record Tap(String name, String layer, int[] shape) {

    public Tap {
        Objects.requireNonNull(name, "tap.name");
        Objects.requireNonNull(layer, "tap.layer");
        if (shape == null || (shape.length != 1 && shape.length != 3) || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("tap '" + name + "' needs a shape of positive [C,H,W] or [D], got "
                    + Arrays.toString(shape));
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of values per example. */
    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tap t && name.equals(t.name) && layer.equals(t.layer) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layer, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " (" + layer + ") " + Arrays.toString(shape);
    }
}
