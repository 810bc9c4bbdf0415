package org.tl4j.train;

import java.util.Locale;
import org.tl4j.data.InvalidInputException;

/** How a run uses the adapter's network. */
public enum Strategy {

    /**
     * The pretrained network with a new head, every layer trained at its group's rate (the adapter's layer groups,
     * {@code --lr-mult}, {@code --discriminative}); earlier layers can be frozen with {@code --freeze-to}.
     */
    FINE_TUNE("fine-tune"),

    /**
     * The pretrained network frozen up to the head's tap: its output is computed once into the featurize cache and
     * only the new head trains, from the cache; the saved model is the trunk with the trained head on top.
     */
    FEATURE_EXTRACTOR("feature-extractor"),

    /**
     * The same architecture with fresh fan-in initialised weights, every layer trained at the same rate and
     * BatchNorm in training mode: the baseline each transfer is compared with, and how tl4j pretrains its own
     * sources.
     */
    SCRATCH("scratch");

    private final String cliName;

    Strategy(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and in run.json. */
    public String cliName() {
        return cliName;
    }

    /** Parses {@code fine-tune}, {@code feature-extractor} or {@code scratch}. */
    public static Strategy parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Strategy s : values()) {
            if (s.cliName.equals(value)) {
                return s;
            }
        }
        throw new InvalidInputException("--strategy '" + text + "': use fine-tune, feature-extractor or scratch");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
