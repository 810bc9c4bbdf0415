package org.tl4j.predict;

import java.util.List;

/**
 * The best classes for one image.
 *
 * @param file the image
 * @param top  classes by decreasing score
 */
public record Prediction(String file, List<ClassScore> top) {

    /** A class and its score. */
    public record ClassScore(String name, double score) {
    }

    public Prediction {
        top = List.copyOf(top);
    }

    /** The {@code k} best of a score vector. */
    public static Prediction of(String file, List<String> classNames, float[] scores, int k) {
        if (scores.length != classNames.size()) {
            throw new IllegalStateException("the model gave " + scores.length + " scores for " + classNames.size()
                    + " classes");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        List<ClassScore> top = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            top.add(new ClassScore(classNames.get(order[i]), scores[order[i]]));
        }
        return new Prediction(file, top);
    }
}
