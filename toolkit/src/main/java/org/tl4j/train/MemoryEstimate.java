package org.tl4j.train;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.arch.GraphCost;
import org.tl4j.zoo.arch.LayerCost;

/**
 * A rough, deliberately generous estimate of the native (ND4J, off-heap) memory a graph needs for one mini-batch,
 * from DL4J's shape inference alone (nothing is allocated), so a batch size that cannot fit fails at once with the
 * estimate and a batch size that fits, not with an OutOfMemoryError deep inside ND4J minutes later.
 *
 * <p>Model: parameters, their gradients and the updater's state (1 copy for Nesterov momentum, 2 for Adam), plus
 * per example every vertex's output three times when training (the activation, its gradient, and room for DL4J's
 * workspaces and pre-activations) or once for inference; 4 bytes per value. The budget is what JavaCPP will still
 * let ND4J allocate: the smaller of {@code org.bytedeco.javacpp.maxbytes} and {@code maxphysicalbytes} minus what
 * is in use, and the machine's free physical memory.
 *
 * @param fixedBytes      bytes that do not depend on the batch size (parameters, gradients, updater state)
 * @param perExampleBytes bytes per example in the batch
 * @param batch           the batch size checked
 * @param training        whether the estimate is for training (else inference)
 */
public record MemoryEstimate(long fixedBytes, long perExampleBytes, int batch, boolean training) {

    private static final int BYTES_PER_VALUE = 4;
    private static final int TRAINING_COPIES_PER_ACTIVATION = 3;
    /** Leave a tenth of the budget for everything the model does not account for (data, evaluation, JIT). */
    private static final double USABLE_FRACTION = 0.9;

    /**
     * The estimate for training {@code conf} on inputs of {@code input} in batches of {@code batch}.
     *
     * @param updaterCopies values of updater state per parameter (Nesterov 1, Adam 2, SGD 0)
     */
    public static MemoryEstimate training(ComputationGraphConfiguration conf, InputType input, int batch,
            int updaterCopies) {
        GraphCost cost = GraphCost.of(conf, input);
        long parameters = cost.layers().stream().mapToLong(LayerCost::parameters).sum();
        long fixed = parameters * BYTES_PER_VALUE * (2L + updaterCopies);
        return new MemoryEstimate(fixed, activationValues(cost) * BYTES_PER_VALUE * TRAINING_COPIES_PER_ACTIVATION,
                batch, true);
    }

    /** The estimate for inference (featurizing, evaluation) of {@code conf} in batches of {@code batch}. */
    public static MemoryEstimate inference(ComputationGraphConfiguration conf, InputType input, int batch) {
        GraphCost cost = GraphCost.of(conf, input);
        long parameters = cost.layers().stream().mapToLong(LayerCost::parameters).sum();
        return new MemoryEstimate(parameters * BYTES_PER_VALUE, activationValues(cost) * BYTES_PER_VALUE, batch,
                false);
    }

    private static long activationValues(GraphCost cost) {
        long values = 0;
        for (LayerCost layer : cost.layers()) {
            long product = 1;
            for (long d : layer.outputShape()) {
                product *= Math.max(1, d);
            }
            values += product;
        }
        return values;
    }

    /** Estimated bytes for the whole batch. */
    public long totalBytes() {
        return fixedBytes + perExampleBytes * batch;
    }

    /** The largest batch size whose estimate fits in {@code budgetBytes}; 0 when not even one example fits. */
    public int largestBatchWithin(long budgetBytes) {
        long room = (long) (budgetBytes * USABLE_FRACTION) - fixedBytes;
        return room <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, room / Math.max(1, perExampleBytes));
    }

    /**
     * The native memory ND4J may still allocate in this JVM (JavaCPP's limits and the machine's free memory).
     */
    public static long availableNativeBytes() {
        long budget = Long.MAX_VALUE;
        if (Pointer.maxBytes() > 0) {
            budget = Math.min(budget, Pointer.maxBytes() - Pointer.totalBytes());
        }
        if (Pointer.maxPhysicalBytes() > 0) {
            budget = Math.min(budget, Pointer.maxPhysicalBytes() - Pointer.physicalBytes());
        }
        long free = Pointer.availablePhysicalBytes();
        if (free > 0) {
            budget = Math.min(budget, free);
        }
        return Math.max(0, budget);
    }

    /** {@link #requireFits(long, String)} against {@link #availableNativeBytes()}. */
    public void requireFits(String batchOption) throws InvalidInputException {
        requireFits(availableNativeBytes(), batchOption);
    }

    /**
     * Fails when the estimate exceeds the usable part of {@code budgetBytes}.
     *
     * @param batchOption the CLI option that sets the batch size, named in the suggestion (e.g. {@code --batch})
     * @throws InvalidInputException naming the estimate, the budget and a batch size that fits
     */
    public void requireFits(long budgetBytes, String batchOption) throws InvalidInputException {
        if (totalBytes() <= budgetBytes * USABLE_FRACTION) {
            return;
        }
        int fits = largestBatchWithin(budgetBytes);
        String suggestion = fits >= 1
                ? "use " + batchOption + " " + fits + " or less"
                : "even one image does not fit: use a smaller model or input size";
        throw new InvalidInputException(String.format(Locale.ROOT,
                "%s %d needs about %s of native memory for %s (%s fixed + %s per image), but ND4J may use only %s"
                        + " more here; %s, or raise -Dorg.bytedeco.javacpp.maxbytes/maxphysicalbytes in"
                        + " TL4J_JAVA_OPTS if the machine has the memory",
                batchOption, batch, human(totalBytes()), training ? "training" : "inference", human(fixedBytes),
                human(perExampleBytes), human(budgetBytes), suggestion));
    }

    /** Bytes as MiB or GiB with one decimal. */
    public static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
