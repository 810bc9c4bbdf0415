package org.tl4j.zoo.spec;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a model's weights come from and how to recognise the right file: a download URI (https:, http: or
 * file:), the file's format, its SHA-256 and size, and its licence and origin for provenance.
 *
 * <p>One exception to "SHA-256 always": DL4J's own model zoo publishes only an Adler-32 per file. Such a source
 * has the URI {@code dl4j-zoo:PATH} (PATH relative to the zoo's base URL, which a mirror may override), an
 * {@code adler32} and no sha256; the weight store pins the SHA-256 on first download.
 *
 * @param uri       where to fetch the file
 * @param format    how to read it
 * @param sha256    64 lower-case hex digits; the file is refused unless it matches
 * @param sizeBytes expected size in bytes, or -1 when unknown
 * @param licence   the licence the weights are published under
 * @param origin    who trained them and how (paper, repository, training command)
 * @param adler32   DL4J zoo files only: DL4J's published Adler-32; null otherwise
 * @param training  for weights tl4j trained itself (shipped as {@code classpath:} files): how, and the held-out
 *                  accuracy they reached; null for published weights
 */
public record WeightSource(URI uri, Format format, String sha256, long sizeBytes, String licence, String origin,
                           Long adler32, TrainingProvenance training) {

    /** URI scheme of files in DL4J's model zoo, resolved against the zoo base URL. */
    public static final String DL4J_ZOO_SCHEME = "dl4j-zoo";

    /** A source identified by SHA-256 (every source but DL4J zoo files). */
    public WeightSource(URI uri, Format format, String sha256, long sizeBytes, String licence, String origin) {
        this(uri, format, sha256, sizeBytes, licence, origin, null, null);
    }

    /** A published source without training provenance (DL4J zoo files pass their Adler-32). */
    public WeightSource(URI uri, Format format, String sha256, long sizeBytes, String licence, String origin,
                        Long adler32) {
        this(uri, format, sha256, sizeBytes, licence, origin, adler32, null);
    }

    /** Formats tl4j can turn into a DL4J ComputationGraph. */
    public enum Format {
        /** A DL4J ModelSerializer zip (ComputationGraph). */
        DL4J_ZIP,
        /** An ONNX ModelProto, converted by tl4j's importer. */
        ONNX
    }

    public WeightSource {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(format, "format");
        if (DL4J_ZOO_SCHEME.equals(uri.getScheme())) {
            if (adler32 == null || sha256 != null) {
                throw new IllegalArgumentException("a " + DL4J_ZOO_SCHEME + ": source takes DL4J's adler32 and no sha256"
                        + " (tl4j pins the SHA-256 on first download): " + uri);
            }
        } else {
            Objects.requireNonNull(sha256, () -> "sha256 of " + uri);
        }
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "' for " + uri);
        }
        licence = licence == null ? "unknown" : licence;
        origin = origin == null ? "unknown" : origin;
    }

    /** The file name the weights are cached under (the last path segment of the URI). */
    public String fileName() {
        // classpath:weights/x.zip is an opaque URI: its path is the scheme-specific part.
        String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (isDl4jZoo()) {
            name = dl4jZooPath().substring(dl4jZooPath().lastIndexOf('/') + 1);
        }
        return name.isEmpty() ? sha256 + (format == Format.ONNX ? ".onnx" : ".zip") : name;
    }

    /** Whether this is a DL4J zoo file (Adler-32 only, resolved against the zoo's base URL). */
    public boolean isDl4jZoo() {
        return DL4J_ZOO_SCHEME.equals(uri.getScheme());
    }

    /** For a DL4J zoo file: its path relative to the zoo's base URL. */
    public String dl4jZooPath() {
        if (!isDl4jZoo()) {
            throw new IllegalStateException("not a DL4J zoo source: " + uri);
        }
        return uri.getSchemeSpecificPart();
    }
}
