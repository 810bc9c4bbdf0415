package org.tl4j.zoo.weights;

import java.util.ArrayList;
import java.util.List;
import org.tl4j.zoo.spec.WeightSource;

/**
 * What a file must hash to. A {@link WeightSource} always names a SHA-256; a DL4J zoo file before it is pinned
 * names only the Adler-32 that DL4J publishes, so either may be absent (but not both).
 *
 * @param sha256    expected SHA-256, or null when unknown
 * @param adler32   expected Adler-32, or null when not published
 * @param sizeBytes expected size, or -1 when unknown
 */
record Expected(String sha256, Long adler32, long sizeBytes) {

    Expected {
        if (sha256 == null && adler32 == null) {
            throw new IllegalArgumentException("a weight file needs a SHA-256 or an Adler-32 to be checked against");
        }
    }

    static Expected of(WeightSource source) {
        return new Expected(source.sha256(), null, source.sizeBytes());
    }

    /** The ways {@code actual} differs from this, empty when it matches. */
    List<String> differences(Digests actual) {
        List<String> problems = new ArrayList<>();
        if (sizeBytes >= 0 && actual.sizeBytes() != sizeBytes) {
            problems.add("size expected " + sizeBytes + " bytes, got " + actual.sizeBytes()
                    + (actual.sizeBytes() < sizeBytes ? " (truncated)" : ""));
        }
        if (sha256 != null && !sha256.equals(actual.sha256())) {
            problems.add("SHA-256 expected " + sha256 + ", got " + actual.sha256());
        }
        if (adler32 != null && adler32 != actual.adler32()) {
            problems.add("Adler-32 expected " + adler32 + ", got " + actual.adler32()
                    + " (SHA-256 of what was received: " + actual.sha256() + ")");
        }
        return problems;
    }

    /** Throws, naming both values, when {@code actual} differs. */
    void check(Digests actual, String what, String fix) throws WeightMismatchException {
        List<String> problems = differences(actual);
        if (problems.isEmpty()) {
            return;
        }
        String expectedText = sha256 != null ? sha256 : "adler32:" + adler32;
        String actualText = sha256 != null ? actual.sha256() : "adler32:" + actual.adler32();
        throw new WeightMismatchException(what + " is not the expected file: " + String.join("; ", problems)
                + ". " + fix, expectedText, actualText);
    }
}
