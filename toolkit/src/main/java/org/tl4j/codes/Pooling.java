package org.tl4j.codes;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.InvalidInputException;

/**
 * How a convolutional tap's feature map [n, C, H, W] becomes one vector per image. Dense taps ([n, D]) pass
 * through unchanged whatever the pooling.
 */
public enum Pooling {
    /** Global average over height and width: C values. */
    AVG("avg"),
    /** Global maximum over height and width: C values. */
    MAX("max"),
    /** Average then maximum, concatenated: 2C values (average first). */
    AVG_MAX("avg+max");

    private final String cliName;

    Pooling(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in files ({@code avg}, {@code max}, {@code avg+max}). */
    public String cliName() {
        return cliName;
    }

    /** The pooling named {@code avg}, {@code max} or {@code avg+max} (case-insensitive; also the enum names). */
    public static Pooling parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Pooling p : values()) {
            if (p.cliName.equals(t) || p.name().toLowerCase(Locale.ROOT).equals(t)) {
                return p;
            }
        }
        throw new InvalidInputException("pooling must be avg, max or avg+max, got '" + text + "'");
    }

    /**
     * Pools a batch of activations to [n, D].
     *
     * @param activations [n, C, H, W] feature maps, [n, C, L] sequences or [n, D] vectors
     */
    public INDArray apply(INDArray activations) {
        int rank = activations.rank();
        if (rank == 2) {
            return activations;
        }
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException("cannot pool activations of rank " + rank);
        }
        int[] spatial = rank == 4 ? new int[] {2, 3} : new int[] {2};
        return switch (this) {
            case AVG -> activations.mean(spatial);
            case MAX -> activations.max(spatial);
            case AVG_MAX -> Nd4j.concat(1, activations.mean(spatial), activations.max(spatial));
        };
    }
}
