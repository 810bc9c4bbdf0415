package org.tl4j.select;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much labelled data the target task has: the numbers the selector's "small or large" decision reads.
 *
 * @param classes        number of classes
 * @param images         images in all
 * @param minPerClass    images in the smallest class
 * @param medianPerClass median images per class (the lower middle value for an even number of classes)
 * @param maxPerClass    images in the largest class
 */
public record SizeFacts(int classes, int images, int minPerClass, int medianPerClass, int maxPerClass) {

    public SizeFacts {
        if (classes < 1 || minPerClass < 0 || minPerClass > medianPerClass || medianPerClass > maxPerClass) {
            throw new IllegalArgumentException("inconsistent size facts: " + classes + " classes, per class min "
                    + minPerClass + ", median " + medianPerClass + ", max " + maxPerClass);
        }
    }

    /** Facts from the number of images in each class. */
    public static SizeFacts ofCounts(int[] perClass) {
        if (perClass.length == 0) {
            throw new IllegalArgumentException("no classes");
        }
        int[] sorted = perClass.clone();
        Arrays.sort(sorted);
        return new SizeFacts(sorted.length, Arrays.stream(sorted).sum(), sorted[0], sorted[(sorted.length - 1) / 2],
                sorted[sorted.length - 1]);
    }

    /** Facts from the labels of the training images. */
    public static SizeFacts ofLabels(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return ofCounts(counts);
    }

    /** Largest class over smallest (infinite when a class is empty); 1 for balanced data. */
    public double imbalance() {
        return minPerClass == 0 ? Double.POSITIVE_INFINITY : (double) maxPerClass / minPerClass;
    }

    /** One line for reports. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d classes, %d images, per class min %d / median %d / max %d"
                + " (imbalance %.1f)", classes, images, minPerClass, medianPerClass, maxPerClass, imbalance());
    }
}
