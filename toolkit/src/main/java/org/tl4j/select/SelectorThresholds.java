package org.tl4j.select;

/**
 * Every number the {@link StrategySelector} compares against, in one place.
 *
 * <p>How the defaults were calibrated (first pass, before tl4j's own transfer benchmark of issue 6 exists): from
 * the PyTorch reference runs quoted in issues 5 and 6 (small CNNs on this machine), recorded with the reasoning in
 * {@code org/tl4j/select/calibration.json} next to this class. The benchmark's grid
 * ({@code recipes/transfer-bench.sh}) is meant to replace them: it measures every strategy on every source x
 * target x size cell, and the thresholds that minimise the selector's regret there go here, with the grid's
 * figures in the calibration file. {@code SelectorCalibrationTest} replays the recorded cases through the
 * selector, so a change of threshold that contradicts the recorded data fails a test.
 *
 * @param largeMinPerClass          median images per class from which a target counts as large. Reference: at 10
 *                                  per class frozen codes matched fine-tuning the top (0.944 vs 0.947, glyphs to
 *                                  digits); at 100 per class every strategy, scratch included, came within 1-2 pp,
 *                                  so there is data enough to move the weights.
 * @param mediumMinPerClass         median images per class from which a target below {@code largeMinPerClass} counts
 *                                  as medium, where FINE_TUNE_ALL is advised whatever the probes say. Calibrated on
 *                                  tl4j's transfer grid (calibration.json, "transferGrid", "mediumTargets"): at 82
 *                                  training images per class, fine-tuning every layer with discriminative rates came
 *                                  within 1.9 pp of the best strategy in all 8 source x target cells (mean 0.6 pp),
 *                                  while the probe-based advice lost up to 13.7 pp; at 8 per class it lost up to 4.6
 *                                  pp, so the boundary lies between; 50 is the geometric middle of 10 and 100 rounded
 *                                  up, not a measured optimum.
 * @param similarMinNormalisedProbe top tap's probe accuracy, rescaled so chance is 0 and perfect is 1, from which
 *                                  target and source count as similar. Reference: glyphs to digits, linear on codes
 *                                  0.944 (0.94 rescaled, 10 classes) where frozen codes were as good as fine-tuning;
 *                                  glyphs to Fashion 5-9, frozen codes 0.76-0.78 (0.70-0.73 rescaled, 5 classes)
 *                                  where they lost to fine-tuning all layers (0.855). Set a little below the
 *                                  midpoint 0.83 because the k-fold probe trains on (k-1)/k of the images and reads
 *                                  below a head trained on all of them.
 * @param earlierTapMargin          probe accuracy by which an earlier tap must beat the top tap for the top's
 *                                  features to count as too specific to the source (different task).
 * @param minGainOverBaseline       probe accuracy by which the best pretrained tap must beat the best baseline
 *                                  (same architecture with random weights, or raw pixels) for the source features
 *                                  to count as helping; below it the advice is SCRATCH. Reference: the narrow
 *                                  Fashion 0-4 source lost to scratch on every target; a random network's codes
 *                                  are a cheap stand-in for what the architecture learns without the source. Not
 *                                  calibrated on figures yet (the reference runs did not record random-init probes):
 *                                  the selector also asks for one standard error of the difference of the two
 *                                  accuracies (9 pp at 50 images and 0.7 accuracy), so this 3 pp floor matters only
 *                                  for targets of about 500 images or more.
 * @param fineTuneTopGroups         layer groups trained by FINE_TUNE_TOP, the head's group included.
 * @param discriminativeFactor      FINE_TUNE_ALL's spread of learning rates: the earliest group gets 1/D of the
 *                                  head's (fastai's slice(lr/D, lr)).
 * @param baseLearningRate          Adam learning rate of the head (as tl4j's trainers default to).
 * @param fineTuneEpochs            epochs assumed for fine-tuning, for the cost estimate.
 * @param scratchEpochs             epochs assumed for training from scratch, for the cost estimate.
 * @param forwardPassesPerTrainingStep forward-pass equivalents of one training step of the whole network (forward
 *                                  plus a backward pass of about twice its cost), for the cost estimate.
 */
public record SelectorThresholds(int largeMinPerClass, int mediumMinPerClass, double similarMinNormalisedProbe, double earlierTapMargin,
                                 double minGainOverBaseline, int fineTuneTopGroups, double discriminativeFactor,
                                 double baseLearningRate, int fineTuneEpochs, int scratchEpochs,
                                 double forwardPassesPerTrainingStep) {

    /** The current calibration (see the class comment). */
    public static final SelectorThresholds DEFAULT = new SelectorThresholds(100, 50, 0.80, 0.02, 0.03, 2, 10, 1e-3,
            10, 30, 3);

    public SelectorThresholds {
        if (largeMinPerClass < 1 || mediumMinPerClass < 1 || mediumMinPerClass > largeMinPerClass || !(similarMinNormalisedProbe > 0 && similarMinNormalisedProbe < 1)
                || earlierTapMargin < 0 || minGainOverBaseline < 0 || fineTuneTopGroups < 1
                || !(discriminativeFactor >= 1) || !(baseLearningRate > 0) || fineTuneEpochs < 1
                || scratchEpochs < 1 || !(forwardPassesPerTrainingStep >= 1)) {
            throw new IllegalArgumentException("selector thresholds out of range: " + this);
        }
    }
}
