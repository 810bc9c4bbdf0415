package org.tl4j.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.zoo.onnx.OnnxExportException;

/**
 * Opens the engine for a model: ND4J, ONNX Runtime, or (auto) ONNX Runtime only when it loads the model and its
 * output on the first batch agrees with ND4J's within {@value #MAX_PARITY_ERROR} relative error. When auto passes
 * ONNX Runtime over, the selection says why (logged and recorded), never silently.
 */
public final class Engines {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    /** Largest max|ort - nd4j| / max|nd4j| for auto to take ONNX Runtime. */
    public static final double MAX_PARITY_ERROR = 1e-4;

    private Engines() {
    }

    /** {@link #open(EngineChoice, InferenceModel, INDArray, OnnxFiles, int)} with the default cache and threads. */
    public static EngineSelection open(EngineChoice choice, InferenceModel model, INDArray firstBatch) {
        return open(choice, model, firstBatch, OnnxFiles.defaultCache(), OnnxRuntimeEngine.defaultThreads());
    }

    /**
     * @param firstBatch a representative batch for auto's parity check (ignored otherwise)
     * @throws EngineUnavailableException when ONNX Runtime was asked for explicitly and cannot run the model
     */
    public static EngineSelection open(EngineChoice choice, InferenceModel model, INDArray firstBatch, OnnxFiles files,
                                       int threads) {
        switch (choice) {
            case ND4J -> {
                return new EngineSelection(new Nd4jEngine(model), choice, null, "asked for nd4j");
            }
            case ONNXRUNTIME -> {
                return new EngineSelection(onnxRuntime(model, files, threads), choice, null, "asked for onnxruntime");
            }
            default -> {
                return auto(model, firstBatch, files, threads);
            }
        }
    }

    private static EngineSelection auto(InferenceModel model, INDArray firstBatch, OnnxFiles files, int threads) {
        Nd4jEngine nd4j = new Nd4jEngine(model);
        OnnxRuntimeEngine ort;
        try {
            ort = onnxRuntime(model, files, threads);
        } catch (EngineUnavailableException e) {
            LOG.warn("Engine for {}: nd4j, because ONNX Runtime is unavailable: {}", model.name(), e.getMessage());
            return new EngineSelection(nd4j, EngineChoice.AUTO, null, "onnxruntime unavailable: " + e.getMessage());
        }
        double error;
        try {
            error = relativeError(ort.run(firstBatch), nd4j.run(firstBatch));
        } catch (RuntimeException e) {
            ort.close();
            LOG.warn("Engine for {}: nd4j, because ONNX Runtime failed on the first batch: {}", model.name(),
                    e.getMessage());
            return new EngineSelection(nd4j, EngineChoice.AUTO, null, "onnxruntime failed: " + e.getMessage());
        }
        if (error < MAX_PARITY_ERROR) {
            LOG.info("Engine for {}: onnxruntime ({}), parity with nd4j on the first batch: {} relative error",
                    model.name(), ort.file().getFileName(), String.format("%.2g", error));
            return new EngineSelection(ort, EngineChoice.AUTO, error, "parity " + String.format("%.2g", error)
                    + " < " + MAX_PARITY_ERROR);
        }
        ort.close();
        LOG.warn("Engine for {}: nd4j, because ONNX Runtime's output differs from ND4J's by {} relative error"
                + " (limit {})", model.name(), String.format("%.3g", error), MAX_PARITY_ERROR);
        return new EngineSelection(nd4j, EngineChoice.AUTO, error, "onnxruntime disagrees with nd4j: parity "
                + String.format("%.3g", error) + " >= " + MAX_PARITY_ERROR);
    }

    private static OnnxRuntimeEngine onnxRuntime(InferenceModel model, OnnxFiles files, int threads) {
        Path file;
        try {
            file = files.fileFor(model);
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot write the ONNX file for " + model.name() + " into "
                    + files.dir() + ": " + e.getMessage(), e);
        } catch (OnnxExportException e) {
            throw new EngineUnavailableException(e.getMessage(), e);
        }
        return new OnnxRuntimeEngine(file, model.onnxSource() == null ? null : outputName(model), threads);
    }

    private static String outputName(InferenceModel model) {
        return model.pooled() ? model.onnxOutput() + "_tl4j_pooled" : model.onnxOutput();
    }

    /** max|actual - expected| / max(max|expected|, 1e-6). */
    public static double relativeError(INDArray actual, INDArray expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        double maxAbs = a.sub(e).amaxNumber().doubleValue();
        return maxAbs / Math.max(e.amaxNumber().doubleValue(), 1e-6);
    }
}
