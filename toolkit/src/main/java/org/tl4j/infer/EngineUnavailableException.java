package org.tl4j.infer;

/** An engine cannot run a model here: its native library does not load, or it rejects the model file. */
public class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
