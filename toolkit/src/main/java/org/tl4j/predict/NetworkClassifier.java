package org.tl4j.predict;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Objects;
import org.tl4j.data.DecodedImage;
import org.tl4j.infer.EngineChoice;
import org.tl4j.infer.EngineSelection;
import org.tl4j.infer.Engines;
import org.tl4j.infer.InferenceModel;
import org.tl4j.data.ImagePreprocessor;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.spec.InputSpec;

/** A trained network ({@code RUN/model.zip}) as an {@link ImageClassifier}, with the adapter's preprocessing. */
public final class NetworkClassifier implements ImageClassifier, AutoCloseable {

    private final TrainedModel model;
    private final ImagePreprocessor preprocessor;
    private EngineChoice choice = EngineChoice.ND4J;
    private EngineSelection selection;

    public NetworkClassifier(TrainedModel model) {
        this.model = model;
        this.preprocessor = new ImagePreprocessor(model.input());
    }

    /**
     * Runs the network on this engine (default nd4j). It is opened on the first image: auto compares ONNX Runtime
     * with ND4J on it.
     */
    public NetworkClassifier engine(EngineChoice engine) {
        if (selection != null) {
            throw new IllegalStateException("the engine is already open");
        }
        this.choice = Objects.requireNonNull(engine, "engine");
        return this;
    }

    /** The engine selection (engine, parity error, reason), or null before the first image. */
    public EngineSelection selection() {
        return selection;
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
        INDArray batch = batchOf(preprocessor, image);
        if (selection == null) {
            InputSpec spec = preprocessor.spec();
            long[] chw = {spec.channels(), spec.height(), spec.width()};
            selection = Engines.open(choice, InferenceModel.ofGraph(model.metadata().adapterId(), model.graph(), chw,
                    null, false), batch);
        }
        return selection.engine().run(batch).toFloatVector();
    }

    /** Closes the engine (native memory of ONNX Runtime). */
    @Override
    public void close() {
        if (selection != null) {
            selection.engine().close();
        }
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
