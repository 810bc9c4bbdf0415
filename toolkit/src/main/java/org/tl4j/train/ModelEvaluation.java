package org.tl4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;

/** Evaluates a saved {@link TrainedModel} on every usable image of a folder ({@code ./tl4j eval}). */
public final class ModelEvaluation {

    private ModelEvaluation() {
    }

    /**
     * @throws InvalidInputException when the folder's classes are not the model's, in the same order
     */
    public static ClassificationMetrics evaluate(Path modelFile, Path data, int batch, boolean progress)
            throws IOException {
        TrainedModel model = TrainedModel.load(modelFile);
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(progress));
        List<String> expected = model.classNames();
        if (!manifest.classes().equals(expected)) {
            throw new InvalidInputException(data + " has classes " + manifest.classes() + " but " + modelFile
                    + " was trained on " + expected + ": evaluate on a folder with exactly those class sub-folders");
        }
        if (manifest.okEntries().isEmpty()) {
            throw new InvalidInputException(data + " has no usable images to evaluate");
        }
        try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, manifest.okEntries(), model.input(),
                batch)) {
            return ClassificationMetrics.evaluate(model.graph(), images, expected, data.getFileName() == null
                    ? data.toString() : data.getFileName().toString());
        }
    }
}
