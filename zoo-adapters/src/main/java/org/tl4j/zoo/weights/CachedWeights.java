package org.tl4j.zoo.weights;

import java.nio.file.Path;

/**
 * A verified weight file in the cache, with the identity to record in a run's provenance.
 *
 * @param file      the cached file; do not modify it
 * @param sha256    its SHA-256, 64 lower-case hex digits
 * @param sizeBytes its size in bytes
 */
public record CachedWeights(Path file, String sha256, long sizeBytes) {
}
