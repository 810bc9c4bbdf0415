package org.tl4j.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Everything that decides what a featurize cache holds: the adapter, its weights, the cut layer, whether the
 * activations are pooled, the preprocessing and the exact images (in row order) with their labels. Two keys
 * are equal exactly when a cache computed for one can serve the other; {@link #digest()} names the cache file.
 *
 * @param adapterId     adapter id, e.g. {@code resnet50-small}
 * @param weightsSha256 SHA-256 of the weight file ({@code PretrainedModel.weights().sha256()}) or of the graph's
 *                      parameters ({@link #weightsHash(ComputationGraph)}) for graphs without a weight file
 * @param cutLayer      the graph vertex whose output is cached
 * @param pooled        whether 4-d activations are globally average-pooled to one vector per image
 * @param input         the preprocessing the images went through
 * @param dataHash      SHA-256 of the images in row order ({@link #dataHash(Manifest, List)})
 */
public record FeatureCacheKey(String adapterId, String weightsSha256, String cutLayer, boolean pooled,
                              InputSpec input, String dataHash) {

    /** Bumped when the way features are computed changes, so old caches are not reused. */
    static final int KEY_VERSION = 1;

    public FeatureCacheKey {
        Objects.requireNonNull(adapterId, "adapterId");
        Objects.requireNonNull(weightsSha256, "weightsSha256");
        Objects.requireNonNull(cutLayer, "cutLayer");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(dataHash, "dataHash");
    }

    /** The key as readable text, one {@code name=value} per line; stored in the cache file's header. */
    public String describe() {
        return "tl4j-feature-cache-key " + KEY_VERSION + "\n"
                + "adapter=" + adapterId + "\n"
                + "weights-sha256=" + weightsSha256 + "\n"
                + "cut=" + cutLayer + "\n"
                + "pool=" + (pooled ? "global-average" : "none") + "\n"
                + "input=" + input + "\n"
                + "data-sha256=" + dataHash + "\n";
    }

    /** SHA-256 of {@link #describe()}, hex: the cache file's name. */
    public String digest() {
        return sha256Hex(describe().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SHA-256 over the images in the given order (which is the cache's row order): the class list (a label's
     * index there is its number in the cache), then each image's path, label and content hash.
     */
    public static String dataHash(Manifest manifest, List<Manifest.Entry> entries) {
        MessageDigest digest = sha256();
        digest.update(("classes\t" + String.join("\t", manifest.classes()) + "\n").getBytes(StandardCharsets.UTF_8));
        for (Manifest.Entry e : entries) {
            if (e.sha256() == null) {
                throw new IllegalArgumentException("entry " + e.path() + " has no content hash: pass usable entries"
                        + " of a scanned manifest");
            }
            digest.update((e.path() + '\t' + e.label() + '\t' + e.sha256() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * SHA-256 of a graph's parameters as little-endian float32: identifies weights that have no file (an
     * untrained small adapter built from a seed, or weights changed in memory).
     */
    public static String weightsHash(ComputationGraph graph) {
        MessageDigest digest = sha256();
        INDArray params = graph.params();
        if (params == null || params.isEmpty()) {
            return HexFormat.of().formatHex(digest.digest());
        }
        // Hashed in chunks so a 100 MB parameter vector is not copied into one heap array.
        INDArray flat = params.reshape(new long[] {params.length()}).castTo(DataType.FLOAT);
        long n = flat.length();
        int chunk = 1 << 20;
        ByteBuffer bytes = ByteBuffer.allocate(chunk * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(n, from + chunk);
            float[] values = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).toFloatVector();
            bytes.clear();
            bytes.asFloatBuffer().put(values);
            digest.update(bytes.array(), 0, values.length * Float.BYTES);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
