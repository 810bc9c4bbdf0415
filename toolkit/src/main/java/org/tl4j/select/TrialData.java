package org.tl4j.select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;

/**
 * The images {@code --advise-by-trial} trains and scores on, all drawn from the training split: a seeded subsample
 * of at most {@code perClass} images per class, dealt per class into a trial-training part, a validation part for
 * early stopping (and the SVM's C), and a held-out validation part whose accuracy chooses between the candidates.
 * The target's own validation and test splits are never among them.
 *
 * <p>{@link #materialise} lays the parts out as a {@code train/val/test} folder of symbolic links, so the trials run
 * through {@code fit}'s own code ({@link org.tl4j.train.TransferTraining}, {@link org.tl4j.svm.SvmFitRun}) unchanged;
 * the folder's {@code test/} holds the held-out validation part (what those runs call their test score is the
 * trial's validation accuracy).
 *
 * @param train      trial-training images
 * @param validation early-stopping (and C) images
 * @param holdout    the images whose accuracy chooses between candidates
 */
public record TrialData(List<Manifest.Entry> train, List<Manifest.Entry> validation, List<Manifest.Entry> holdout) {

    /** Share of each class's subsample held out for early stopping, and again for the choice. */
    public static final double VALIDATION_SHARE = 0.2;

    public TrialData {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        holdout = List.copyOf(holdout);
    }

    /**
     * @param manifest the target folder
     * @param training its training split (never validation or test)
     * @param perClass at most this many images per class (seeded subsample)
     * @param seed     seed of the subsample and the deal
     * @throws InvalidInputException when a class has fewer than 3 training images
     */
    public static TrialData carve(Manifest manifest, List<Manifest.Entry> training, int perClass, long seed) {
        if (perClass < 3) {
            throw new InvalidInputException("--trial-per-class must be at least 3 (train, validation and the held-out"
                    + " choice need an image each), got " + perClass);
        }
        Map<String, List<Manifest.Entry>> byClass = new LinkedHashMap<>();
        manifest.classes().forEach(c -> byClass.put(c, new ArrayList<>()));
        training.forEach(e -> byClass.get(e.label()).add(e));
        Random random = new Random(seed);
        List<Manifest.Entry> train = new ArrayList<>();
        List<Manifest.Entry> validation = new ArrayList<>();
        List<Manifest.Entry> holdout = new ArrayList<>();
        for (Map.Entry<String, List<Manifest.Entry>> cls : byClass.entrySet()) {
            List<Manifest.Entry> rows = new ArrayList<>(cls.getValue());
            if (rows.size() < 3) {
                throw new InvalidInputException("--advise-by-trial needs at least 3 training images in every class"
                        + " (to train, to stop early and to choose); class '" + cls.getKey() + "' of "
                        + manifest.root() + " has " + rows.size() + ": add images or leave out --advise-by-trial");
            }
            Collections.shuffle(rows, random);
            rows = rows.subList(0, Math.min(perClass, rows.size()));
            int n = rows.size();
            int held = Math.max(1, (int) Math.round(n * VALIDATION_SHARE));
            int val = Math.max(1, (int) Math.round(n * VALIDATION_SHARE));
            holdout.addAll(rows.subList(0, held));
            validation.addAll(rows.subList(held, held + val));
            train.addAll(rows.subList(held + val, n));
        }
        return new TrialData(train, validation, holdout);
    }

    /** Every image the trials may read. */
    public List<Manifest.Entry> all() {
        List<Manifest.Entry> all = new ArrayList<>(train);
        all.addAll(validation);
        all.addAll(holdout);
        return all;
    }

    /**
     * Writes {@code folder/train}, {@code folder/val} and {@code folder/test} (the held-out part), one sub-folder per
     * class (every class of the manifest), each image a symbolic link to the original file.
     *
     * @return {@code folder}
     */
    public Path materialise(Manifest manifest, Path folder) throws IOException {
        link(manifest, train, folder.resolve("train"));
        link(manifest, validation, folder.resolve("val"));
        link(manifest, holdout, folder.resolve("test"));
        return folder;
    }

    private static void link(Manifest manifest, List<Manifest.Entry> entries, Path part) throws IOException {
        int i = 0;
        for (Manifest.Entry e : entries) {
            Path source = manifest.resolve(e);
            // A running number keeps files of one class apart when they came from different folders of a layout.
            Path link = part.resolve(e.label()).resolve(String.format("%05d-%s", i++, source.getFileName()));
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, source.toAbsolutePath());
        }
    }
}
