package org.tl4j.datasets;

/** Derives independent, reproducible seeds from the user's seed and a few keys. */
public final class Seeds {

    /** The seed used when the user gives none (recorded in every manifest, so runs can be repeated). */
    public static final long DEFAULT_SEED = 42L;

    private Seeds() {
    }

    /**
     * Mixes a seed with keys (SplitMix64 finaliser per step), so that e.g. class 3's sampling does not depend
     * on how many items class 2 had, and one image's augmentation does not depend on which others were drawn.
     */
    public static long mix(long seed, long... keys) {
        long h = seed;
        for (long key : keys) {
            h = splitMix(h ^ splitMix(key + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
