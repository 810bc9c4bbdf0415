package org.tl4j.infer;

/** Which engine runs frozen-trunk inference ({@code --engine}). */
public enum EngineChoice {
    /** ONNX Runtime when it loads and agrees with ND4J on the first batch, else ND4J (the reason recorded). */
    AUTO,
    /** DL4J/ND4J. */
    ND4J,
    /** ONNX Runtime; fails when it cannot load the model. */
    ONNXRUNTIME
}
