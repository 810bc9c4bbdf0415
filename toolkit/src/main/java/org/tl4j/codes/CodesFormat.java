package org.tl4j.codes;

import java.nio.file.Path;
import java.util.Locale;
import org.tl4j.data.InvalidInputException;

/**
 * File formats for codes.
 * <ul>
 * <li>{@link #NPZ}: one numpy {@code .npz} archive (a zip of {@code .npy} v1.0 arrays): {@code codes} float32
 * [N, D], {@code labels} int32 [N], {@code classes} unicode [K], {@code paths} unicode [N], and {@code meta}, a
 * 0-d unicode array holding the {@link CodesInfo} as JSON. {@code np.load(f)} reads it without pickle. Chosen over
 * loose {@code .npy} files so codes, labels and paths cannot drift apart and one rename publishes them.</li>
 * <li>{@link #CSV}: a header row {@code path,label,c0..c(D-1)}, one row per image, the label as its class
 * name.</li>
 * <li>{@link #BIN}: tl4j's feature-cache format ({@link org.tl4j.train.FeatureFile}: float32 rows, int32 labels,
 * checksums) whose key text holds the {@link CodesInfo} JSON, with the image paths one per line beside it in
 * {@code FILE.paths.txt}.</li>
 * </ul>
 */
public enum CodesFormat {
    NPZ(".npz"),
    CSV(".csv"),
    BIN(".bin");

    private final String extension;

    CodesFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension, with the dot. */
    public String extension() {
        return extension;
    }

    /** {@code npy}/{@code npz}, {@code csv} or {@code bin}. */
    public static CodesFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "npy", "npz" -> NPZ;
            case "csv" -> CSV;
            case "bin", "tl4j" -> BIN;
            default -> throw new InvalidInputException("codes format must be npy, csv or bin, got '" + name + "'");
        };
    }

    /** The format a file name's extension names. */
    public static CodesFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz") || name.endsWith(".npy")) {
            return NPZ;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".bin") || name.endsWith(".feat")) {
            return BIN;
        }
        throw new InvalidInputException("cannot tell the codes format of " + file + " from its name: use .npz,"
                + " .csv or .bin (or pass --format)");
    }
}
