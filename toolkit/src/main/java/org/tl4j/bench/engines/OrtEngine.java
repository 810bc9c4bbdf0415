package org.tl4j.bench.engines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.infer.OnnxRuntimeEngine;

/** ONNX Runtime Java (tl4j's {@link OnnxRuntimeEngine}) on the ONNX file exported from tl4j's graph; inference only. */
final class OrtEngine implements BenchEngine {

    private final int threads;
    private final Map<String, OnnxRuntimeEngine> sessions = new HashMap<>();
    private final Map<String, ModelUnderTest> models = new HashMap<>();

    OrtEngine(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public boolean supports(Workload workload) {
        return workload == Workload.INFER;
    }

    @Override
    public void prepare(ModelUnderTest model) {
        sessions.put(model.name(), new OnnxRuntimeEngine(model.onnxFile(), null, threads));
        models.put(model.name(), model);
    }

    @Override
    public Timing time(Cell cell, int warmup, int steps) {
        ModelUnderTest model = models.get(cell.model());
        OnnxRuntimeEngine session = sessions.get(cell.model());
        Nd4j.getRandom().setSeed(model.seed());
        INDArray x = Nd4j.rand(DataType.FLOAT, cell.batch(), 3, model.size(), model.size());
        System.gc(); // as in Tl4jEngine: the tl4j graphs' freed buffers go before this engine's peak is taken
        ProcessMemory.resetPeak();
        for (int i = 0; i < warmup; i++) {
            session.run(x);
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            session.run(x);
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        return new Timing(seconds, ProcessMemory.peakMb());
    }

    @Override
    public void release(String model) {
        OnnxRuntimeEngine session = sessions.remove(model);
        if (session != null) {
            session.close();
        }
        models.remove(model);
    }

    @Override
    public void close() {
        sessions.values().forEach(OnnxRuntimeEngine::close);
        sessions.clear();
    }
}
