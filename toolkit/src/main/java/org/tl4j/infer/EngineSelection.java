package org.tl4j.infer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine chosen for a model, and why: what was asked for, the relative error between ONNX Runtime and ND4J
 * on the first batch (when it was measured), and the reason when ONNX Runtime was passed over. Recorded in run.json
 * ({@link #record()}).
 *
 * @param engine      the engine to run (the caller closes it)
 * @param requested   what was asked for
 * @param parityError max|ort - nd4j| / max|nd4j| on the first batch, or null when not measured
 * @param reason      why this engine, in one line
 */
public record EngineSelection(InferenceEngine engine, EngineChoice requested, Double parityError, String reason) {

    /** The entries for run.json: engine, requested, parity_rel_error, reason. */
    public Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine.name());
        m.put("requested", requested.name().toLowerCase(java.util.Locale.ROOT));
        m.put("parity_rel_error", parityError);
        m.put("reason", reason);
        return m;
    }
}
