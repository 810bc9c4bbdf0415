package org.tl4j.data;

import java.util.Random;

/**
 * The order in which one epoch visits n examples: a Fisher-Yates permutation drawn from a fresh {@link Random}
 * seeded by the run's seed and the epoch number, so any epoch's order can be rebuilt from (seed, epoch) alone
 * (what exact resume relies on), and every iterator over the same rows visits them alike.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** Indices 0..n-1 in this epoch's order; in order when {@code shuffle} is false. */
    public static int[] of(int n, long seed, int epoch, boolean shuffle) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }
}
