package org.tl4j.zoo.spec;

import java.util.Objects;

/**
 * How tl4j itself trained a weight file it ships (the small glyph and Fashion-MNIST sources): enough to rerun the
 * training and to check the file still does what it did. Written into the adapter descriptor by hand from the run's
 * {@code run.json} (see {@code recipes/pretrain-sources.sh}).
 *
 * @param dataCommand      the {@code ./tl4j datasets prepare ...} command that made the training data
 * @param command          the exact {@code ./tl4j fit ...} command that trained the weights
 * @param seed             the run's seed (splits, initial weights, shuffles)
 * @param dataManifestHash the manifest hash of the training data folder, as recorded in the run's run.json
 * @param trainingSeconds  wall time of the fit, in seconds
 * @param machine          where it ran and the load then (a shared 2-core machine trains several times slower)
 * @param heldOut          what the held-out accuracy was measured on (folder of the prepared data, and why it is
 *                         held out)
 * @param heldOutImages    how many images that is
 * @param heldOutAccuracy  top-1 accuracy of these weights, source head included, on those images
 */
public record TrainingProvenance(String dataCommand, String command, long seed, String dataManifestHash,
                                 double trainingSeconds, String machine, String heldOut, int heldOutImages,
                                 double heldOutAccuracy) {

    public TrainingProvenance {
        Objects.requireNonNull(command, "training.command");
        Objects.requireNonNull(heldOut, "training.heldOut");
        if (!(heldOutAccuracy >= 0 && heldOutAccuracy <= 1)) {
            throw new IllegalArgumentException("training.heldOutAccuracy must be in [0, 1], got " + heldOutAccuracy);
        }
        if (heldOutImages < 1) {
            throw new IllegalArgumentException("training.heldOutImages must be positive, got " + heldOutImages);
        }
    }
}
