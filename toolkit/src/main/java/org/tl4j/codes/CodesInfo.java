package org.tl4j.codes;

import java.util.List;
import java.util.Objects;

/**
 * What a set of codes is: which network and weights, where it was tapped, how it was pooled and normalised, and
 * the class names its labels index. Stored with the codes in every file format that has room for it.
 *
 * @param adapterId     adapter id ({@code resnet50-small}), or {@code null} for codes from elsewhere (a CSV)
 * @param weightsSha256 SHA-256 identifying the weights (file or parameters), or {@code null} when unknown
 * @param tap           tap name as the user gave it, or {@code null}
 * @param layer         the graph vertex read, or {@code null}
 * @param pooling       how feature maps were pooled
 * @param l2Normalized  whether each row was scaled to unit L2 norm (after the signed square root)
 * @param signedSqrt    whether {@code sign(x) * sqrt(|x|)} was applied to each value
 * @param classes       class names; a label is an index into this list
 */
public record CodesInfo(String adapterId, String weightsSha256, String tap, String layer, Pooling pooling,
                        boolean l2Normalized, boolean signedSqrt, List<String> classes) {

    public CodesInfo {
        Objects.requireNonNull(pooling, "pooling");
        classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
    }

    /** Codes of unknown origin (read from a plain CSV), with these class names. */
    public static CodesInfo unknownOrigin(List<String> classes) {
        return new CodesInfo(null, null, null, null, Pooling.AVG, false, false, classes);
    }

    /** The same settings with other class names. */
    public CodesInfo withClasses(List<String> newClasses) {
        return new CodesInfo(adapterId, weightsSha256, tap, layer, pooling, l2Normalized, signedSqrt, newClasses);
    }

    /** One line for logs and reports. */
    public String describe() {
        return (adapterId == null ? "codes of unknown origin" : adapterId + " at " + tap + " (" + layer + ")")
                + ", pooling " + pooling.cliName() + (signedSqrt ? ", signed sqrt" : "")
                + (l2Normalized ? ", L2-normalised" : "") + ", " + classes.size() + " classes";
    }
}
