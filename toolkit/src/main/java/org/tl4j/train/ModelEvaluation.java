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
        return evaluate(modelFile, data, batch, progress, org.tl4j.infer.EngineChoice.ND4J).metrics();
    }

    /** The metrics and the engine that computed them. */
    public record Result(ClassificationMetrics metrics, org.tl4j.infer.EngineSelection engine) {
    }

    /**
     * As {@link #evaluate(Path, Path, int, boolean)}, the network run on {@code choice}'s engine (auto compares
     * ONNX Runtime with ND4J on the first batch).
     *
     * @throws InvalidInputException when the folder's classes are not the model's, in the same order
     */
    public static Result evaluate(Path modelFile, Path data, int batch, boolean progress,
                                  org.tl4j.infer.EngineChoice choice) throws IOException {
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
        ClassificationMetrics.Accumulator accumulator = new ClassificationMetrics.Accumulator(expected);
        org.tl4j.infer.EngineSelection selection = null;
        try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, manifest.okEntries(), model.input(),
                batch)) {
            while (images.hasNext()) {
                org.nd4j.linalg.dataset.DataSet ds = images.next();
                if (selection == null) {
                    long[] chw = {model.input().channels(), model.input().height(), model.input().width()};
                    selection = org.tl4j.infer.Engines.open(choice, org.tl4j.infer.InferenceModel.ofGraph(
                            model.metadata().adapterId(), model.graph(), chw, null, false), ds.getFeatures());
                }
                accumulator.add(selection.engine().run(ds.getFeatures()), ds.getLabels());
            }
        } finally {
            if (selection != null) {
                selection.engine().close();
            }
        }
        return new Result(accumulator.result(data.getFileName() == null ? data.toString()
                : data.getFileName().toString()), selection);
    }
}
