package org.tl4j.select;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.infer.EngineChoice;
import org.tl4j.infer.EngineUnavailableException;
import org.tl4j.infer.Engines;
import org.tl4j.infer.InferenceModel;
import org.tl4j.infer.Nd4jEngine;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.infer.OnnxRuntimeEngine;
import org.tl4j.zoo.onnx.OnnxExportException;

/**
 * One frozen forward pass that gives several layers' outputs of a network at once (the selector's taps and the
 * source head), on DL4J/ND4J or on ONNX Runtime ({@code advise --engine}). ONNX Runtime runs the graph's export with
 * those layers added as outputs ({@link OnnxFiles#withOutputs}), so every tap still costs one pass. Auto takes ONNX
 * Runtime only when it loads and every output agrees with ND4J's on the first batch within
 * {@link Engines#MAX_PARITY_ERROR}, as {@link Engines} does for one output; the reason is recorded either way.
 */
public abstract class TapForward implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TapForward.class);

    private final Map<String, Object> record = new LinkedHashMap<>();

    /** The outputs of {@code layers} (in the order opened with) for a batch; arrays owned by the caller. */
    public abstract INDArray[] run(INDArray batch);

    /** {@code nd4j} or {@code onnxruntime}. */
    public abstract String engine();

    @Override
    public void close() {
    }

    /** What run.json/advice.json record: engine, requested, parity_rel_error, reason. */
    public Map<String, Object> record() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record));
    }

    final TapForward described(EngineChoice requested, Double parity, String reason) {
        record.put("engine", engine());
        record.put("requested", requested.name().toLowerCase(Locale.ROOT));
        record.put("parity_rel_error", parity);
        record.put("reason", reason);
        return this;
    }

    /** DL4J in inference mode. */
    public static TapForward nd4j(ComputationGraph graph, List<String> layers) {
        return new Nd4jForward(graph, layers);
    }

    /**
     * @param choice     nd4j, onnxruntime, or auto
     * @param name       the network's name (messages, ONNX file names)
     * @param graph      the network, not modified
     * @param chw        one image's input shape
     * @param layers     the layers whose outputs {@link #run} returns
     * @param firstBatch a representative batch for auto's parity check
     * @throws EngineUnavailableException when onnxruntime was asked for and cannot run the graph
     */
    public static TapForward open(EngineChoice choice, String name, ComputationGraph graph, long[] chw,
                                  List<String> layers, INDArray firstBatch) {
        return open(choice, name, graph, chw, layers, firstBatch, OnnxFiles.defaultCache(),
                OnnxRuntimeEngine.defaultThreads());
    }

    /** As {@link #open(EngineChoice, String, ComputationGraph, long[], List, INDArray)} with a cache and threads. */
    public static TapForward open(EngineChoice choice, String name, ComputationGraph graph, long[] chw,
                                  List<String> layers, INDArray firstBatch, OnnxFiles files, int threads) {
        Objects.requireNonNull(choice, "choice");
        TapForward nd4j = nd4j(graph, layers);
        if (choice == EngineChoice.ND4J) {
            return nd4j.described(choice, null, "asked for nd4j");
        }
        OrtForward ort;
        try {
            ort = OrtForward.open(name, graph, chw, layers, files, threads);
        } catch (EngineUnavailableException e) {
            if (choice == EngineChoice.ONNXRUNTIME) {
                throw e;
            }
            LOG.warn("Engine for {}: nd4j, because ONNX Runtime is unavailable: {}", name, e.getMessage());
            return nd4j.described(choice, null, "onnxruntime unavailable: " + e.getMessage());
        }
        if (choice == EngineChoice.ONNXRUNTIME) {
            return ort.described(choice, null, "asked for onnxruntime");
        }
        double error;
        try {
            INDArray[] a = ort.run(firstBatch);
            INDArray[] b = nd4j.run(firstBatch);
            error = 0;
            for (int i = 0; i < a.length; i++) {
                error = Math.max(error, Engines.relativeError(a[i], b[i]));
            }
        } catch (RuntimeException e) {
            ort.close();
            LOG.warn("Engine for {}: nd4j, because ONNX Runtime failed on the first batch: {}", name, e.getMessage());
            return nd4j.described(choice, null, "onnxruntime failed: " + e.getMessage());
        }
        String parity = String.format(Locale.ROOT, "%.2g", error);
        if (error < Engines.MAX_PARITY_ERROR) {
            LOG.info("Engine for {}: onnxruntime, parity with nd4j on the first batch (all {} outputs): {} relative"
                    + " error", name, layers.size(), parity);
            return ort.described(choice, error, "parity " + parity + " < " + Engines.MAX_PARITY_ERROR);
        }
        ort.close();
        LOG.warn("Engine for {}: nd4j, because ONNX Runtime's outputs differ from ND4J's by {} relative error (limit"
                + " {})", name, parity, Engines.MAX_PARITY_ERROR);
        return nd4j.described(choice, error, "onnxruntime disagrees with nd4j: parity " + parity + " >= "
                + Engines.MAX_PARITY_ERROR);
    }

    private static final class Nd4jForward extends TapForward {
        private final ComputationGraph graph;
        private final List<String> layers;

        Nd4jForward(ComputationGraph graph, List<String> layers) {
            this.graph = graph;
            this.layers = List.copyOf(layers);
        }

        @Override
        public INDArray[] run(INDArray batch) {
            INDArray[] out = graph.output(layers, false, new INDArray[] {batch}, null);
            INDArray[] detached = new INDArray[out.length];
            for (int i = 0; i < out.length; i++) {
                detached[i] = out[i].dup(); // out of DL4J's workspaces
            }
            return detached;
        }

        @Override
        public String engine() {
            return Nd4jEngine.NAME;
        }
    }

    private static final class OrtForward extends TapForward {
        private final OnnxRuntimeEngine engine;
        private final List<String> layers;

        private OrtForward(OnnxRuntimeEngine engine, List<String> layers) {
            this.engine = engine;
            this.layers = List.copyOf(layers);
        }

        static OrtForward open(String name, ComputationGraph graph, long[] chw, List<String> layers, OnnxFiles files,
                               int threads) {
            Path file;
            try {
                file = files.withOutputs(InferenceModel.ofGraph(name, graph, chw, null, false), layers);
            } catch (IOException e) {
                throw new EngineUnavailableException("cannot write the ONNX file for " + name + " into "
                        + files.dir() + ": " + e.getMessage(), e);
            } catch (OnnxExportException e) {
                throw new EngineUnavailableException(e.getMessage(), e);
            }
            return new OrtForward(new OnnxRuntimeEngine(file, layers.get(0), threads), layers);
        }

        @Override
        public INDArray[] run(INDArray batch) {
            return engine.runAll(batch, layers);
        }

        @Override
        public String engine() {
            return OnnxRuntimeEngine.NAME;
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
