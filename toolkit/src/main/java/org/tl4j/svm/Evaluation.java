package org.tl4j.svm;

/**
 * Accuracy of predictions against true labels.
 *
 * @param images           number of images
 * @param accuracy         share predicted correctly
 * @param balancedAccuracy mean over classes present of the share of that class predicted correctly
 */
public record Evaluation(int images, double accuracy, double balancedAccuracy) {

    /** Scores predictions; labels are class indices below {@code classes}. */
    public static Evaluation of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        int[] total = new int[classes];
        int[] right = new int[classes];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            total[truth[i]]++;
            if (truth[i] == predicted[i]) {
                right[truth[i]]++;
                correct++;
            }
        }
        double recallSum = 0;
        int present = 0;
        for (int k = 0; k < classes; k++) {
            if (total[k] > 0) {
                recallSum += right[k] / (double) total[k];
                present++;
            }
        }
        return new Evaluation(truth.length, truth.length == 0 ? Double.NaN : correct / (double) truth.length,
                present == 0 ? Double.NaN : recallSum / present);
    }
}
