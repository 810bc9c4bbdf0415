package org.tl4j.zoo.spec;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a model's weights come from and how to recognise the right file: a download URI (https:, http: or
 * file:), the file's format, its SHA-256 and size, and its licence and origin for provenance.
 *
 * @param uri       where to fetch the file
 * @param format    how to read it
 * @param sha256    64 lower-case hex digits; the file is refused unless it matches
 * @param sizeBytes expected size in bytes, or -1 when unknown
 * @param licence   the licence the weights are published under
 * @param origin    who trained them and how (paper, repository, training command)
 */
public record WeightSource(URI uri, Format format, String sha256, long sizeBytes, String licence, String origin) {

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
        Objects.requireNonNull(sha256, "sha256");
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "' for " + uri);
        }
        licence = licence == null ? "unknown" : licence;
        origin = origin == null ? "unknown" : origin;
    }

    /** The file name the weights are cached under (the last path segment of the URI). */
    public String fileName() {
        String path = uri.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? sha256 + (format == Format.ONNX ? ".onnx" : ".zip") : name;
    }
}
