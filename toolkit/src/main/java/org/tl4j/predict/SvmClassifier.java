package org.tl4j.predict;

import java.util.List;
import java.util.Objects;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.data.DecodedImage;
import org.tl4j.svm.SvmModel;

/**
 * An SVM-on-activations bundle ({@code ./tl4j svm}) as an {@link ImageClassifier}: each image's CNN code is taken
 * with the bundle's adapter, tap, pooling and normalisation, then scored by the linear model. Scores are LIBLINEAR
 * decision values for the SVM solver and probabilities for logistic regression ({@link SvmModel#scoreKind()}).
 */
public final class SvmClassifier implements ImageClassifier {

    private final SvmModel model;
    private final CnnCodes extractor;

    /**
     * @param extractor the network the codes came from; it is set up as the model says and its weights are checked
     *                  against the ones the model was fitted on
     */
    public SvmClassifier(SvmModel model, CnnCodes extractor) {
        this.model = Objects.requireNonNull(model, "model");
        this.extractor = model.configure(Objects.requireNonNull(extractor, "extractor")).progress(false);
    }

    @Override
    public List<String> classNames() {
        return model.classes();
    }

    @Override
    public float[] scores(DecodedImage image) {
        Codes code = extractor.extract(image, "image", model.classes());
        return model.scores(code, 0);
    }

    @Override
    public String scoreKind() {
        return model.scoreKind();
    }
}
