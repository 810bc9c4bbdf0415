package org.tl4j.predict;

import java.util.List;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Class scores at each window position of an image, and the image as the network saw it.
 *
 * @param classNames   class names, in the order of the first index of {@code scores}
 * @param scores       [class][y][x] scores (probabilities per location for a softmax network)
 * @param preparedChw  the prepared input (CHW, normalised as {@code input} says)
 * @param input        how it was prepared (its size is the whole image the map covers)
 * @param windowHeight height of the window one location scores (the training input height)
 * @param windowWidth  width of that window
 */
public record ScoreMap(List<String> classNames, float[][][] scores, float[] preparedChw, InputSpec input,
                       int windowHeight, int windowWidth) {

    /** Map height. */
    public int height() {
        return scores[0].length;
    }

    /** Map width. */
    public int width() {
        return scores[0][0].length;
    }

    /** The class with the highest mean score over the map. */
    public int topClass() {
        int best = 0;
        double bestMean = -Double.MAX_VALUE;
        for (int c = 0; c < scores.length; c++) {
            double sum = 0;
            for (float[] row : scores[c]) {
                for (float v : row) {
                    sum += v;
                }
            }
            if (sum > bestMean) {
                bestMean = sum;
                best = c;
            }
        }
        return best;
    }
}
