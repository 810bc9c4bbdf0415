package org.tl4j.cli;

import org.tl4j.infer.EngineChoice;
import org.tl4j.select.AdviceTrials;
import picocli.CommandLine.Option;

/** {@code --advise-by-trial} and its settings; mixed into advise and fit (for {@code --strategy auto}). */
final class TrialOptions {

    @Option(names = "--advise-by-trial", description = "Decide by short trials of the selector's best candidates"
            + " (successive halving: every candidate trains a few epochs, the better half twice as long, until one"
            + " remains) on a subsample of the training split, chosen by validation accuracy on images carved from"
            + " the training split; the test split is never read.")
    boolean enabled;

    @Option(names = "--trial-candidates", paramLabel = "N", description = "Candidates tried (1-3).")
    int candidates = AdviceTrials.Settings.DEFAULT.candidates();

    @Option(names = "--trial-epochs", paramLabel = "N", description = "Epochs of the first rung (doubled each rung).")
    int epochs = AdviceTrials.Settings.DEFAULT.firstEpochs();

    @Option(names = "--trial-per-class", paramLabel = "N", description = "Training images per class the trials use"
            + " at most (seeded; 60/20/20 into trial training, early stopping, and the choice).")
    int perClass = AdviceTrials.Settings.DEFAULT.perClass();

    /** The settings, or null without {@code --advise-by-trial}. */
    AdviceTrials.Settings settings(EngineChoice engine) {
        return enabled ? new AdviceTrials.Settings(candidates, epochs, perClass, engine) : null;
    }
}
