package org.tl4j.select;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.InvalidInputException;

/**
 * Globally average-pooled codes at several taps of a graph in one forward pass per batch (inference mode), plus,
 * on request, the raw input pixels and the outputs of the network's own head. Written for the selector, which
 * needs every candidate tap of two networks; org.tl4j.codes extracts and caches codes one tap at a time for users.
 */
public final class TapCodesExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(TapCodesExtractor.class);
    private static final double PROGRESS_SECONDS = 10;
    /**
     * Values per image kept for the raw-pixel probe: 32x32 RGB (3,072) becomes 3 x 16 x 16. It was 4,096, which
     * kept 32x32 whole: on 1,645 Fashion-MNIST images (1,316 per probe fold, so fewer images than values) the
     * probe then needed LIBLINEAR's dual solver, 17-21 s per fold, 95 s of the 132 s advise took; at 1,024 the
     * primal solver takes 2-3 s per fold (12 s in all) and the probe scored 0.926 instead of 0.920 (measured at load
     * 7 on the shared 2-core machine; images of this size are mostly upsampled 20x20 or 28x28 grey, so 2x2 blocks
     * lose little).
     */
    public static final long MAX_RAW_VALUES = 1024;

    /** What one pass produced. */
    public record Extracted(Map<String, LabelledCodes> taps, LabelledCodes rawPixels, INDArray headOutputs,
                            double imagesPerSecond) {
    }

    private TapCodesExtractor() {
    }

    /**
     * @param graph      the network, not modified
     * @param taps       tap name -> graph layer, in the order wanted
     * @param images     the images in a fixed order, one-hot labels
     * @param classes    number of target classes
     * @param rawPixels  whether to keep the input images too, flattened after average pooling over f x f blocks with
     *                   the smallest f that leaves at most {@link #MAX_RAW_VALUES} values per image
     * @param headOutput name of the network output whose values to keep (the source head's softmax), or null
     * @param what       name of the network for progress lines
     */
    public static Extracted extract(ComputationGraph graph, Map<String, String> taps, DataSetIterator images,
                                    int classes, boolean rawPixels, String headOutput, String what) {
        List<String> outputs = new ArrayList<>(taps.values());
        if (headOutput != null) {
            outputs.add(headOutput);
        }
        for (String layer : outputs) {
            if (graph.getVertex(layer) == null) {
                throw new InvalidInputException("the graph has no layer '" + layer + "': name taps of the adapter"
                        + " (see ./tl4j zoo info)");
            }
        }
        return extract(TapForward.nd4j(graph, outputs), List.copyOf(taps.keySet()), headOutput != null, images,
                classes, rawPixels, what);
    }

    /**
     * As {@link #extract(ComputationGraph, Map, DataSetIterator, int, boolean, String, String)} with the forward
     * passes on any engine.
     *
     * @param forward  gives, per batch, the outputs of the taps' layers in {@code taps}' order, then the head's
     * @param taps     tap names, in the forward's order
     * @param hasHead  whether the forward's last output is the source head's
     */
    public static Extracted extract(TapForward forward, List<String> taps, boolean hasHead, DataSetIterator images,
                                    int classes, boolean rawPixels, String what) {
        Map<String, List<INDArray>> parts = new LinkedHashMap<>();
        taps.forEach(t -> parts.put(t, new ArrayList<>()));
        List<INDArray> pixels = new ArrayList<>();
        List<INDArray> head = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        long start = System.nanoTime();
        long lastLog = start;
        int done = 0;
        if (images.resetSupported()) {
            images.reset();
        }
        while (images.hasNext()) {
            DataSet batch = images.next();
            INDArray input = batch.getFeatures();
            INDArray[] out = forward.run(input);
            int i = 0;
            for (String tap : taps) {
                parts.get(tap).add(pooled(out[i++]).castTo(DataType.DOUBLE));
            }
            if (hasHead) {
                head.add(out[i].castTo(DataType.DOUBLE));
            }
            if (rawPixels) {
                pixels.add(downsampled(input).castTo(DataType.DOUBLE));
            }
            INDArray argmax = batch.getLabels().argMax(1);
            for (int r = 0; r < argmax.length(); r++) {
                labels.add(argmax.getInt(r));
            }
            done += (int) input.size(0);
            long now = System.nanoTime();
            if ((now - lastLog) / 1e9 >= PROGRESS_SECONDS) {
                LOG.info(String.format(Locale.ROOT, "%s: %d images through the network (%.0f images/s)", what, done,
                        done / ((now - start) / 1e9)));
                lastLog = now;
            }
        }
        if (done == 0) {
            throw new InvalidInputException("no images to measure: the folder's training images are empty");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        Map<String, LabelledCodes> codes = new LinkedHashMap<>();
        parts.forEach((tap, list) -> codes.put(tap, new LabelledCodes(Nd4j.vstack(list.toArray(INDArray[]::new)), y,
                classes)));
        return new Extracted(codes,
                rawPixels ? new LabelledCodes(Nd4j.vstack(pixels.toArray(INDArray[]::new)), y, classes) : null,
                hasHead ? Nd4j.vstack(head.toArray(INDArray[]::new)) : null, done / seconds);
    }

    /** Block-averaging factor for the raw-pixel probe of an image of this shape: 1 when it is small enough. */
    public static int rawPixelFactor(long channels, long height, long width) {
        int f = 1;
        while (channels * (height / f) * (width / f) > MAX_RAW_VALUES) {
            f++;
        }
        return f;
    }

    /** [n, C, H, W] images averaged over f x f blocks (border rows and columns beyond a multiple of f dropped). */
    static INDArray downsampled(INDArray images) {
        long n = images.size(0);
        if (images.rank() != 4) {
            return images.reshape(n, -1);
        }
        long c = images.size(1);
        long h = images.size(2);
        long w = images.size(3);
        int f = rawPixelFactor(c, h, w);
        if (f == 1) {
            return images.reshape(n, -1);
        }
        INDArray cropped = images.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, h / f * f),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, w / f * f)).dup('c');
        return cropped.reshape('c', n, c, h / f, f, w / f, f).mean(3, 5).reshape(n, -1);
    }

    /** Global average over height and width of a feature map; vectors unchanged. Detached from any workspace. */
    static INDArray pooled(INDArray activation) {
        if (activation.rank() == 4) {
            return activation.mean(2, 3);
        }
        if (activation.rank() == 3) {
            return activation.mean(2);
        }
        return activation.dup();
    }
}
