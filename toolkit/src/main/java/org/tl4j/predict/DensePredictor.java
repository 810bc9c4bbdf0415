package org.tl4j.predict;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.data.DecodedImage;
import org.tl4j.data.ImagePreprocessor;
import org.tl4j.data.InvalidInputException;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Class-score maps of a trained network slid over an image {@code scale} times its input size, by
 * {@link FcToConv}: each map location scores one window of the training size.
 */
public final class DensePredictor {

    private final TrainedModel model;
    private final ComputationGraph convolutional;
    private final ImagePreprocessor preprocessor;
    private final int windowHeight;
    private final int windowWidth;

    /**
     * @param scale how many times the training input size the image is prepared at (2 gives a few windows per side)
     */
    public DensePredictor(TrainedModel model, int scale) {
        if (scale < 1 || scale > 8) {
            throw new InvalidInputException("--dense-scale " + scale + ": use 1 to 8 (times the model's input size)");
        }
        this.model = model;
        InputSpec spec = model.input();
        this.windowHeight = spec.height();
        this.windowWidth = spec.width();
        this.convolutional = FcToConv.convert(model.graph(),
                InputType.convolutional(spec.height(), spec.width(), spec.channels()));
        this.preprocessor = new ImagePreprocessor(new InputSpec(spec.height() * scale, spec.width() * scale,
                spec.channelOrder(), spec.pixelRange(), spec.mean(), spec.std(), spec.resize()));
    }

    /** The map of one image. */
    public ScoreMap map(DecodedImage image) {
        INDArray input = NetworkClassifier.batchOf(preprocessor, image);
        INDArray out = convolutional.outputSingle(false, input);
        int classes = (int) out.size(1);
        int h = (int) out.size(2);
        int w = (int) out.size(3);
        float[][][] scores = new float[classes][h][w];
        for (int c = 0; c < classes; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    scores[c][y][x] = out.getFloat(0, c, y, x);
                }
            }
        }
        return new ScoreMap(model.classNames(), scores, input.reshape(input.length()).toFloatVector(),
                preprocessor.spec(), windowHeight,
                windowWidth);
    }
}
