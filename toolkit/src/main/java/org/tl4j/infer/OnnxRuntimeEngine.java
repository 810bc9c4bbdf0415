package org.tl4j.infer;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Runtime (CPU build) on an ONNX file: one session, all graph optimisations, a given number of intra-op
 * threads. The file's single input takes the batch; the named output (or the only one) comes back.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {

    /**
     * Whether ONNX Runtime's idle intra-op threads spin (system property {@code tl4j.ort.spinning}, default 0: they
     * sleep). Measured with {@code bench codes} on the shared 2-core machine: with spinning, ResNet-50-small codes
     * through this engine ran at about a third of ONNX Runtime called directly, because the ND4J calls around each
     * batch (and other processes) competed with spinning threads for the two cores; without it, within a few percent.
     */
    static final String SPINNING = System.getProperty("tl4j.ort.spinning", "0");

    public static final String NAME = "onnxruntime";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final Path file;

    /**
     * @param file    the model
     * @param output  the output to return, or null when the file has one output
     * @param threads intra-op threads (see {@link #defaultThreads()})
     * @throws EngineUnavailableException when ONNX Runtime cannot load (native library) or rejects the file
     */
    public OnnxRuntimeEngine(Path file, String output, int threads) {
        this.file = file;
        try {
            env = OrtEnvironment.getEnvironment();
            session = env.createSession(file.toString(), options(threads));
        } catch (OrtException | UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new EngineUnavailableException("ONNX Runtime cannot run " + file + ": " + e, e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new EngineUnavailableException(file + " has " + inputs.size() + " inputs; the engine feeds one"
                        + " image batch");
            }
            input = inputs.keySet().iterator().next();
            Set<String> outputs = session.getOutputNames();
            if (output == null && outputs.size() != 1) {
                throw new EngineUnavailableException(file + " has outputs " + outputs + "; name the one to return");
            }
            if (output != null && !outputs.contains(output)) {
                throw new EngineUnavailableException(file + " has no output '" + output + "' (it has " + outputs + ")");
            }
            this.output = output == null ? outputs.iterator().next() : output;
        } catch (OrtException e) {
            close();
            throw new EngineUnavailableException("ONNX Runtime cannot read the inputs of " + file + ": " + e, e);
        }
    }

    /**
     * One intra-op thread per available core. Measured with {@code ./tl4j bench codes --threads 1|2} (ResNet-50,
     * batch 8, runs alternating 1, 2, 1, 2 threads on the 2-core machine while other users kept its load average
     * at 22-30): 2 threads gave 1.33-2.91 images/s, 1 thread 0.95-1.21, so all cores win even on a loaded machine.
     */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The session settings this engine uses: all graph optimisations, sequential, {@code threads} intra-op threads. */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.addConfigEntry("session.intra_op.allow_spinning", SPINNING);
        return o;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The ONNX file this engine runs. */
    public Path file() {
        return file;
    }

    @Override
    public INDArray run(INDArray batch) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, inputBuffer(batch), batch.shape());
             OrtSession.Result result = session.run(Map.of(input, in), Set.of(output))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            long[] shape = out.getInfo().getShape();
            FloatBuffer values = out.getFloatBuffer();
            float[] copy = new float[values.remaining()];
            values.get(copy);
            return Nd4j.create(copy, shape, 'c');
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + file + " for a batch of shape "
                    + java.util.Arrays.toString(batch.shape()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Several outputs of one forward pass (e.g. every tap of {@link OnnxFiles#withOutputs}), in the order asked.
     *
     * @param outputs names of graph outputs of the file
     */
    public INDArray[] runAll(INDArray batch, java.util.List<String> outputs) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, inputBuffer(batch), batch.shape());
             OrtSession.Result result = session.run(Map.of(input, in), new java.util.LinkedHashSet<>(outputs))) {
            INDArray[] arrays = new INDArray[outputs.size()];
            for (int i = 0; i < arrays.length; i++) {
                String name = outputs.get(i);
                OnnxTensor out = (OnnxTensor) result.get(name).orElseThrow(() ->
                        new IllegalStateException(file + " gave no output '" + name + "'"));
                FloatBuffer values = out.getFloatBuffer();
                float[] copy = new float[values.remaining()];
                values.get(copy);
                arrays[i] = Nd4j.create(copy, out.getInfo().getShape(), 'c');
            }
            return arrays;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + file + " for a batch of shape "
                    + java.util.Arrays.toString(batch.shape()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The batch's values in C order. A dense float array is handed over as ND4J's own native buffer, which ONNX
     * Runtime reads in place (a direct buffer in native order is not copied); anything else is copied first.
     */
    private static FloatBuffer inputBuffer(INDArray batch) {
        INDArray dense = batch.dataType() == DataType.FLOAT && batch.ordering() == 'c' && !batch.isView()
                && batch.data().length() == batch.length() ? batch : batch.castTo(DataType.FLOAT).dup('c');
        FloatBuffer buffer = dense.data().asNioFloat();
        return buffer.isDirect() ? buffer : FloatBuffer.wrap(dense.data().asFloat());
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session for " + file + ": " + e.getMessage(), e);
        }
    }
}
