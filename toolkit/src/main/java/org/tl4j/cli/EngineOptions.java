package org.tl4j.cli;

import org.tl4j.infer.EngineChoice;
import picocli.CommandLine.Option;

/** {@code --engine}: which engine runs the frozen network; mixed into the commands that run one. */
final class EngineOptions {

    @Option(names = "--engine", paramLabel = "auto|nd4j|onnxruntime", description = "Engine of the frozen network:"
            + " nd4j, onnxruntime, or auto (ONNX Runtime when it agrees with nd4j on the first batch, else nd4j;"
            + " the choice and why are printed).")
    private EngineChoice engine = EngineChoice.AUTO;

    EngineChoice choice() {
        return engine;
    }
}
