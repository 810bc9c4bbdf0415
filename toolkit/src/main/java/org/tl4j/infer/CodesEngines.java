package org.tl4j.infer;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * Opens the engine that computes a {@link CnnCodes} extractor's codes ({@code --engine} of extract and advise) and
 * hands it to the extractor. ND4J keeps CnnCodes' own DL4J path; ONNX Runtime runs the graph's export, read at the
 * tap's layer unpooled (CnnCodes pools).
 */
public final class CodesEngines {

    /** Images in auto's parity batch: enough to compare, few enough to be cheap. */
    static final int PARITY_IMAGES = 8;

    private CodesEngines() {
    }

    /**
     * Selects the engine for {@code codes} (auto compares ONNX Runtime with ND4J on the first images of
     * {@code entries}) and sets it on {@code codes} when it is not ND4J.
     *
     * @return the selection; the caller closes its engine after extracting
     * @throws EngineUnavailableException when ONNX Runtime was asked for and cannot run the graph
     */
    public static EngineSelection select(CnnCodes codes, EngineChoice choice, Manifest manifest,
                                         List<Manifest.Entry> entries) {
        Objects.requireNonNull(choice, "choice");
        if (entries.isEmpty()) {
            throw new InvalidInputException(manifest.root() + " has no usable images to extract codes from");
        }
        AdapterSpec spec = codes.spec();
        String layer = codes.layer();
        long[] chw = {spec.input().channels(), spec.input().height(), spec.input().width()};
        InferenceModel model = InferenceModel.ofGraph(spec.id(), codes.graph(), chw, layer, false);
        INDArray first = null;
        if (choice == EngineChoice.AUTO) {
            int n = Math.min(PARITY_IMAGES, entries.size());
            try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries.subList(0, n),
                    spec.input(), n)) {
                first = images.next().getFeatures();
            }
        }
        EngineSelection selection = Engines.open(choice, model, first);
        if (!Nd4jEngine.NAME.equals(selection.engine().name())) {
            codes.engine(new InferenceCodeEngine(selection.engine(), layer, codes.weightsSha256()));
        }
        return selection;
    }
}
