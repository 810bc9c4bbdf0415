package org.tl4j.predict;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.DecodedImage;
import org.tl4j.data.ImagePreprocessor;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.spec.InputSpec;

/** A trained network ({@code RUN/model.zip}) as an {@link ImageClassifier}, with the adapter's preprocessing. */
public final class NetworkClassifier implements ImageClassifier {

    private final TrainedModel model;
    private final ImagePreprocessor preprocessor;

    public NetworkClassifier(TrainedModel model) {
        this.model = model;
        this.preprocessor = new ImagePreprocessor(model.input());
    }

    /** The model it wraps. */
    public TrainedModel model() {
        return model;
    }

    @Override
    public List<String> classNames() {
        return model.classNames();
    }

    @Override
    public float[] scores(DecodedImage image) {
        INDArray output = model.graph().outputSingle(false, batchOf(preprocessor, image));
        return output.toFloatVector();
    }

    @Override
    public String scoreKind() {
        return "probability";
    }

    /** One preprocessed image as a [1, C, H, W] batch. */
    static INDArray batchOf(ImagePreprocessor preprocessor, DecodedImage image) {
        InputSpec spec = preprocessor.spec();
        return Nd4j.create(preprocessor.toChw(image), 1, spec.channels(), spec.height(), spec.width());
    }
}
