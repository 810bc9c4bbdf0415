package org.tl4j.bench.sweep;

import java.util.Arrays;
import java.util.Locale;
import org.tl4j.data.InvalidInputException;

/**
 * How the batch sweep sets each batch size's learning rate from the strategy's fixed rate: unchanged (the default,
 * so the sweep shows what a fixed recipe does), or scaled with the batch relative to {@link #REFERENCE_BATCH}
 * (Goyal et al.'s linear rule, or the square-root rule).
 */
public enum LrScaling {
    /** The strategy's rate for every batch size. */
    NONE("none"),
    /** rate x batch / 32. */
    LINEAR("linear"),
    /** rate x sqrt(batch / 32). */
    SQRT("sqrt");

    /** The batch size at which every scaling gives the strategy's own rate (fit's default batch). */
    public static final int REFERENCE_BATCH = 32;

    private final String cliName;

    LrScaling(String cliName) {
        this.cliName = cliName;
    }

    /** The name in --lr-scaling and the results. */
    public String cliName() {
        return cliName;
    }

    /** The factor the strategy's rate is multiplied by at {@code batch}. */
    public double factor(int batch) {
        double ratio = (double) batch / REFERENCE_BATCH;
        return switch (this) {
            case NONE -> 1.0;
            case LINEAR -> ratio;
            case SQRT -> Math.sqrt(ratio);
        };
    }

    /** Parses {@code none}, {@code linear} or {@code sqrt}. */
    public static LrScaling parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        for (LrScaling s : values()) {
            if (s.cliName.equals(value)) {
                return s;
            }
        }
        throw new InvalidInputException("--lr-scaling: unknown scaling '" + text + "'; use any of "
                + Arrays.stream(values()).map(LrScaling::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
