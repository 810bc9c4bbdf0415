package org.nd4j.nativeblas;

import org.tl4j.zoo.arch.LayerHelpers;

/**
 * Not tl4j API: the class DL4J 1.0.0-M2.1 looks for, by name, to decide whether its oneDNN layer helpers may run.
 *
 * <p>DL4J's {@code MKLDNNConvHelper}, {@code MKLDNNBatchNormHelper} and {@code MKLDNNSubsamplingHelper} run
 * convolutions, BatchNorm and pooling through libnd4j's own ops, which use oneDNN in the {@code -onednn} builds of
 * nd4j-native. Before a helper is used, {@code BaseMKLDNNHelper.mklDnnEnabled()} calls
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} by reflection; in M2.1 that class
 * lives in {@code org.nd4j.linalg.cpu.nativecpu.bindings}, so the lookup fails and every helper is dropped "as not
 * supported": each convolution then runs as im2col + gemm from Java, 3-8x slower on this project's networks
 * (docs/performance.md). This class answers the lookup. Written by hand because the fault is a stale class name
 * inside DL4J that no setting reaches; delete it with the DL4J release that looks in the right place.
 *
 * <p>DL4J creates the helpers only while the system property {@code org.eclipse.deeplearning4j.helpers.disable} is
 * {@code false}; {@link LayerHelpers} sets it.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** What {@code BaseMKLDNNHelper} reads: whether oneDNN is there to be used. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The one instance, as DL4J expects of an environment. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * True when the loaded libnd4j was compiled with oneDNN (its build information lists HAVE_ONEDNN). In the
         * other builds the helpers would run libnd4j's generic kernels, whose results tl4j has not checked, so they
         * stay off there and DL4J's own layers run as before.
         */
        public boolean isUseMKLDNN() {
            return LayerHelpers.oneDnnLoaded();
        }
    }
}
