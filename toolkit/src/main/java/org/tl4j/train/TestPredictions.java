package org.tl4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.Manifest;

/**
 * {@code RUN/test-predictions.json}: what the trained model predicted for each test image, written by the
 * feature-extractor strategy (it has the test codes and the head at hand), so that the report's gallery of mistakes
 * need not run the whole network over the test images again.
 */
public final class TestPredictions {

    /** File name in the run folder. */
    public static final String FILE_NAME = "test-predictions.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One test image.
     *
     * @param path       manifest path of the image
     * @param actual     its label
     * @param predicted  the class with the highest score
     * @param confidence that score (softmax probability)
     */
    public record Prediction(String path, String actual, String predicted, double confidence) {
        public Prediction {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(actual, "actual");
            Objects.requireNonNull(predicted, "predicted");
        }

        public boolean mistaken() {
            return !actual.equals(predicted);
        }
    }

    private TestPredictions() {
    }

    /**
     * The predictions of {@code scores} (one row per entry, in the entries' order, columns in {@code classes}
     * order).
     */
    public static List<Prediction> of(List<Manifest.Entry> entries, List<String> classes, float[][] scores) {
        if (scores.length != entries.size()) {
            throw new IllegalArgumentException(scores.length + " score rows for " + entries.size() + " test images");
        }
        List<Prediction> predictions = new ArrayList<>(entries.size());
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            predictions.add(new Prediction(entries.get(i).path(), entries.get(i).label(), classes.get(best),
                    scores[i][best]));
        }
        return predictions;
    }

    /** Writes {@code run/test-predictions.json} atomically. */
    public static void write(Path run, List<Prediction> predictions) throws IOException {
        AtomicFiles.write(run.resolve(FILE_NAME), out -> JSON.writeValue(out, predictions));
    }

    /** Reads a file {@link #write} wrote. */
    public static List<Prediction> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<List<Prediction>>() { });
    }
}
