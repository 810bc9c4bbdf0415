package org.tl4j.predict;

/** A network whose head has a layer without a per-location equivalent, so it cannot be made fully convolutional. */
public final class FcToConvException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    FcToConvException(String vertex, String what) {
        super("cannot make the network fully convolutional: vertex '" + vertex + "' (" + what
                + ") has no per-location equivalent after the first dense layer; dense prediction supports dense,"
                + " output, global pooling, dropout, activation, merge and element-wise vertices in the head");
    }
}
