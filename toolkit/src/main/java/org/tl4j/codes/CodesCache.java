package org.tl4j.codes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.tl4j.train.FeatureCache;
import org.tl4j.train.FeatureCacheKey;

/**
 * Where pooled codes are cached: the featurize cache's folder and file format ({@link org.tl4j.train.FeatureFile}).
 * Average-pooled codes use exactly the featurize cache's key ({@link FeatureCacheKey} with {@code pooled}), so
 * codes and head training share one file; max and avg+max pooling extend the unpooled key with one line naming the
 * pooling. Normalisation (signed sqrt, L2) is applied after reading and is not part of the key.
 */
public final class CodesCache {

    private final Path folder;

    /** A cache in {@code folder}; {@link FeatureCache#defaultFolder()} is the usual one. */
    public CodesCache(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /** A cache key: the key text stored in the file and the file it lives in. */
    public record Entry(String keyText, Path file) {
    }

    /**
     * The cache entry for codes.
     *
     * @param unpooled the featurize key of the unpooled activations ({@code pooled == false})
     * @param pooling  the pooling (of a convolutional tap; pass {@link Pooling#AVG} for a dense one)
     */
    public Entry entry(FeatureCacheKey unpooled, Pooling pooling) {
        if (unpooled.pooled()) {
            throw new IllegalArgumentException("pass the unpooled key; the pooling is the second argument");
        }
        if (pooling == Pooling.AVG) {
            FeatureCacheKey avg = new FeatureCacheKey(unpooled.adapterId(), unpooled.weightsSha256(),
                    unpooled.cutLayer(), true, unpooled.input(), unpooled.dataHash());
            return new Entry(avg.describe(), new FeatureCache(folder).fileFor(avg));
        }
        String text = unpooled.describe() + "codes-pool=" + pooling.cliName() + "\n";
        return new Entry(text, folder.resolve(sha256Hex(text) + FeatureCache.EXTENSION));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
