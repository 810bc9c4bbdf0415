package org.tl4j.report;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.tl4j.data.DecodedImage;
import org.tl4j.data.ImageDecoder;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageRejectedException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.predict.NetworkClassifier;
import org.tl4j.train.TestPredictions;

/**
 * The test images the model got wrong with the most confidence, with thumbnails: found by running the run's model
 * over its test split again (metrics.json keeps counts, not per-image predictions).
 */
final class ConfusedImages {

    static final int THUMBNAIL = 96;

    /**
     * One mistake.
     *
     * @param path       manifest path of the image
     * @param actual     its label
     * @param predicted  the model's class
     * @param confidence the model's score for {@code predicted}
     * @param png        a thumbnail, PNG
     */
    record Mistake(String path, String actual, String predicted, double confidence, byte[] png) {
    }

    private ConfusedImages() {
    }

    /** The {@code limit} most confident mistakes on the test split. */
    static List<Mistake> find(NetworkClassifier model, Manifest manifest, Splits splits, int limit)
            throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<String> classes = model.classNames();
        List<Mistake> mistakes = new ArrayList<>();
        for (Manifest.Entry entry : splits.entries(manifest, Splits.Part.TEST)) {
            Path file = manifest.resolve(entry);
            DecodedImage image;
            try {
                image = decoder.decode(file);
            } catch (ImageRejectedException e) {
                continue; // the scan accepted it; a file changed since is left out of the gallery, not fatal
            }
            float[] scores = model.scores(image);
            int best = 0;
            for (int c = 1; c < scores.length; c++) {
                if (scores[c] > scores[best]) {
                    best = c;
                }
            }
            if (!classes.get(best).equals(entry.label())) {
                mistakes.add(new Mistake(entry.path(), entry.label(), classes.get(best), scores[best],
                        thumbnail(file)));
            }
        }
        mistakes.sort(Comparator.comparingDouble(Mistake::confidence).reversed());
        return mistakes.subList(0, Math.min(limit, mistakes.size()));
    }

    /**
     * The {@code limit} most confident mistakes among predictions the run recorded ({@link TestPredictions}), with
     * thumbnails; nothing is run again.
     */
    static List<Mistake> fromPredictions(List<TestPredictions.Prediction> predictions, Manifest manifest, int limit)
            throws IOException {
        List<TestPredictions.Prediction> wrong = predictions.stream().filter(TestPredictions.Prediction::mistaken)
                .sorted(Comparator.comparingDouble(TestPredictions.Prediction::confidence).reversed()).limit(limit)
                .toList();
        List<Mistake> mistakes = new ArrayList<>();
        for (TestPredictions.Prediction p : wrong) {
            Path file = manifest.root().resolve(p.path());
            mistakes.add(new Mistake(p.path(), p.actual(), p.predicted(), p.confidence(),
                    java.nio.file.Files.isRegularFile(file) ? thumbnail(file) : null));
        }
        return mistakes;
    }

    /** Scans the run's data folder without progress output (the report is a side step). */
    static Manifest scan(Path data) throws IOException {
        return ImageFolder.scan(data, ScanOptions.defaults().withProgress(false));
    }

    private static byte[] thumbnail(Path file) throws IOException {
        BufferedImage source = ImageIO.read(file.toFile());
        if (source == null) {
            return null;
        }
        double scale = (double) THUMBNAIL / Math.max(source.getWidth(), source.getHeight());
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        small.getGraphics().drawImage(source.getScaledInstance(w, h, Image.SCALE_SMOOTH), 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(small, "png", out);
        return out.toByteArray();
    }
}
