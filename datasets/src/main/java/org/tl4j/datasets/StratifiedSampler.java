package org.tl4j.datasets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/** Seeded, per-class sampling and hold-out splitting; results keep the input order. */
public final class StratifiedSampler {

    private StratifiedSampler() {
    }

    /** A train part and a held-out part. */
    public record Split<T>(List<T> train, List<T> heldOut) {
    }

    /** At most {@code perClass} items of each class, chosen by a seeded shuffle within the class. */
    public static <T> List<T> limitPerClass(List<T> items, ToIntFunction<T> label, int perClass, long seed) {
        if (perClass < 1) {
            throw new DatasetException("--per-class " + perClass + ": must be at least 1 (leave it out to keep every image)");
        }
        Set<T> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        byClass(items, label).forEach((cls, members) -> {
            List<T> shuffled = shuffled(members, seed, cls, 1);
            keep.addAll(shuffled.subList(0, Math.min(perClass, shuffled.size())));
        });
        return inInputOrder(items, keep);
    }

    /**
     * Holds out {@code fraction} of each class (rounded, at least one item when the class has two or more),
     * chosen by a seeded shuffle within the class.
     */
    public static <T> Split<T> holdOut(List<T> items, ToIntFunction<T> label, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DatasetException("test fraction " + fraction + ": must be between 0 and 1, e.g. 0.2");
        }
        Set<T> heldOut = Collections.newSetFromMap(new IdentityHashMap<>());
        byClass(items, label).forEach((cls, members) -> {
            int n = (int) Math.round(members.size() * fraction);
            if (n == 0 && members.size() > 1) {
                n = 1;
            }
            heldOut.addAll(shuffled(members, seed, cls, 2).subList(0, n));
        });
        List<T> train = new ArrayList<>();
        List<T> test = new ArrayList<>();
        for (T item : items) {
            (heldOut.contains(item) ? test : train).add(item);
        }
        return new Split<>(train, test);
    }

    private static <T> Map<Integer, List<T>> byClass(List<T> items, ToIntFunction<T> label) {
        Map<Integer, List<T>> byClass = new TreeMap<>();
        for (T item : items) {
            byClass.computeIfAbsent(label.applyAsInt(item), k -> new ArrayList<>()).add(item);
        }
        return byClass;
    }

    private static <T> List<T> shuffled(List<T> members, long seed, int cls, int purpose) {
        List<T> copy = new ArrayList<>(members);
        Collections.shuffle(copy, new Random(Seeds.mix(seed, purpose, cls)));
        return copy;
    }

    private static <T> List<T> inInputOrder(List<T> items, Set<T> keep) {
        List<T> kept = new ArrayList<>();
        for (T item : items) {
            if (keep.contains(item)) {
                kept.add(item);
            }
        }
        return kept;
    }
}
