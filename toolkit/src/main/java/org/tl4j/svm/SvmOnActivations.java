package org.tl4j.svm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;

/**
 * The SVM-on-activations workflow from images: codes of the train and validation parts at the extractor's tap
 * (cached), a linear classifier with C chosen on validation, and — only when asked, once — the test score.
 *
 * <pre>{@code
 * CnnCodes codes = CnnCodes.of("googlenet.imagenet").tap("inception_4e").pooling(Pooling.AVG_MAX).l2Normalize(true);
 * SvmOnActivations.Result r = SvmOnActivations.fit(codes, manifest, splits, SvmOptions.defaults());
 * r.model().save(Path.of("svm.zip"));
 * }</pre>
 */
public final class SvmOnActivations {

    private SvmOnActivations() {
    }

    /**
     * @param model     the fitted model
     * @param train     the training codes
     * @param val       the validation codes C was chosen on
     * @param valScore  the model's accuracy on them
     */
    public record Result(SvmModel model, Codes train, Codes val, Evaluation valScore) {
    }

    /** Fits on the train part of {@code splits}, choosing C on its val part. The test part is not read. */
    public static Result fit(CnnCodes extractor, Manifest manifest, Splits splits, SvmOptions options)
            throws IOException {
        Objects.requireNonNull(extractor, "extractor");
        Codes train = extractor.extract(manifest, splits, Splits.Part.TRAIN);
        var valEntries = splits.entries(manifest, Splits.Part.VAL);
        Codes val = valEntries.isEmpty() ? null : extractor.extract(manifest, valEntries);
        SvmModel model = new SvmTrainer(options).fit(train, val);
        Evaluation valScore = val == null ? null : model.evaluate(val);
        return new Result(model, train, val, valScore);
    }

    /**
     * Fits on a folder: its own train/val/test layout when it has one, else a stratified split with the default
     * fractions and {@code options.seed()}.
     */
    public static Result fit(CnnCodes extractor, Path folder, SvmOptions options) throws IOException {
        Manifest manifest = ImageFolder.scan(folder, ScanOptions.defaults().withProgress(false));
        if (manifest.classes().size() < 2) {
            throw new InvalidInputException(folder + " has " + manifest.classes().size() + " class folder(s): an"
                    + " SVM needs two or more");
        }
        Splits splits = Splits.of(manifest, Splits.Fractions.DEFAULT, options.seed());
        return fit(extractor, manifest, splits, options);
    }

    /** The test score of a fitted model on the test part: call once, after every choice is made. */
    public static Evaluation test(SvmModel model, CnnCodes extractor, Manifest manifest, Splits splits)
            throws IOException {
        return model.evaluate(extractor.extract(manifest, splits, Splits.Part.TEST));
    }
}
