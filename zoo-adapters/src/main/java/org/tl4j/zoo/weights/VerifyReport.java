package org.tl4j.zoo.weights;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link WeightStore#verifyAll()} found.
 *
 * @param good    intact files, rehashed
 * @param removed bad entries and stale partial downloads, already deleted
 */
public record VerifyReport(List<CachedWeights> good, List<BadEntry> removed) {

    /** Copies both lists. */
    public VerifyReport {
        good = List.copyOf(good);
        removed = List.copyOf(removed);
    }

    /** True when nothing bad was found. */
    public boolean allGood() {
        return removed.isEmpty();
    }

    /**
     * One removed thing.
     *
     * @param path           what was removed
     * @param expectedSha256 the SHA-256 it was stored under, or null for a partial download
     * @param actualSha256   what its bytes hash to, or null when not hashed
     * @param reason         why it was removed
     */
    public record BadEntry(Path path, String expectedSha256, String actualSha256, String reason) {

        /** One line for a report. */
        @Override
        public String toString() {
            return path + ": " + reason + (expectedSha256 == null ? "" : " (expected SHA-256 " + expectedSha256
                    + (actualSha256 == null ? "" : ", got " + actualSha256) + ")");
        }
    }
}
