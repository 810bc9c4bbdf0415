package org.tl4j.zoo.safety;

/**
 * Bounds on what a model zip may hold before any of it is used, so a zip bomb or a lying header fails fast.
 *
 * @param maxEntries    most entries (a DL4J model zip has 2 to 5, plus any {@code objects/*})
 * @param maxEntryBytes most uncompressed bytes of one entry, declared or actual
 * @param maxTotalBytes most uncompressed bytes of all entries together
 */
public record ModelZipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

    /**
     * DL4J reads every entry into one {@code byte[]}, so no entry can exceed 2 GiB - 1 anyway; 4 GiB in all is
     * larger than any model tl4j's zoo uses (ResNet-50 is about 100 MB) and still fails before memory runs out
     * on a usual heap.
     */
    public static final ModelZipLimits DEFAULT = new ModelZipLimits(1_000, Integer.MAX_VALUE - 8L, 4L << 30);

    /** Checks the bounds are positive. */
    public ModelZipLimits {
        if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("model zip limits must be positive: " + maxEntries + ", "
                    + maxEntryBytes + ", " + maxTotalBytes);
        }
    }
}
