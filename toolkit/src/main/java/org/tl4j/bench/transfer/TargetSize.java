package org.tl4j.bench.transfer;

import java.util.Locale;
import org.tl4j.data.InvalidInputException;

/**
 * A grid size: training images per class, or {@code all} (every training image, up to the benchmark's cap).
 *
 * @param label    {@code 10}, {@code 100}, {@code all}
 * @param perClass the number, null for all
 */
public record TargetSize(String label, Integer perClass) {

    /** Training images per class to prepare under a cap of {@code maxPerClass}. */
    public int trainPerClass(int maxPerClass) {
        return perClass == null ? maxPerClass : Math.min(perClass, maxPerClass);
    }

    /** Parses {@code all} or a positive number. */
    public static TargetSize parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("all")) {
            return new TargetSize("all", null);
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 2) {
                throw new InvalidInputException("--sizes: " + n + " images per class leave nothing for fit's"
                        + " validation split; use 2 or more, or all");
            }
            return new TargetSize(Integer.toString(n), n);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--sizes: '" + text + "' is not a number of images per class; use e.g."
                    + " 10,100,all");
        }
    }
}
