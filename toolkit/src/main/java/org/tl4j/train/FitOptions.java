package org.tl4j.train;

import java.nio.file.Path;
import java.util.Objects;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Splits;

/**
 * Every setting of a training run ({@link TransferTraining}); saved in run.json and compared on {@code --resume}.
 *
 * @param data           the image folder
 * @param model          adapter id (e.g. {@code resnet50-small})
 * @param strategy       fine-tune, feature-extractor or scratch
 * @param sourceWeights  a {@code model.zip} written by an earlier tl4j fit of the same architecture whose layers
 *                       (all but its head) start this run; null for the adapter's own weights (or a seeded
 *                       initialisation when it has none)
 * @param tap            the adapter tap the new head reads; null for the adapter's default tap
 * @param freezeTo       fine-tune only: freeze up to and including this tap, group or layer ({@code none},
 *                       {@code NAME}, or {@code tap:NAME}, {@code group:NAME}, {@code layer:NAME}); null for none
 * @param lrMult         per-group multipliers {@code group=value,...}; null for the adapter's defaults
 * @param discriminative spread multipliers geometrically over the groups from 1/D to 1; null for none
 * @param learningRate   the base (head) rate; null to search for one ({@code --lr auto}, Bengio's heuristic)
 * @param schedule       the rate schedule ({@link Schedules#FORMS})
 * @param optimizer      update rule, momentum, weight decay
 * @param batchNorm      what fine-tuned BatchNorm layers do; null for the strategy's default (frozen statistics
 *                       when fine-tuning, training mode from scratch)
 * @param batch          images per mini-batch
 * @param maxEpochs      upper bound on epochs
 * @param evalEvery      updates between validation evaluations (and checkpoints); 0 for once per epoch
 * @param monitor        the validation score early stopping minimises
 * @param earlyStopping  whether growing patience may end the run before {@code maxEpochs}
 * @param patience       the initial patience in updates; 0 for five evaluations
 * @param seed           seed of the splits, the new weights, the shuffles and every other random choice
 * @param fractions      train/val/test shares of the data (ignored when the folder has a train/val/test layout)
 * @param stopAtAccuracy stop at the first validation evaluation whose accuracy is at least this (stopping reason
 *                       {@code target-reached}); null to train on (used by {@code bench batch-sweep} to measure the
 *                       time to a fixed accuracy)
 */
public record FitOptions(Path data, String model, Strategy strategy, Path sourceWeights, String tap, String freezeTo,
                         String lrMult, Double discriminative, Double learningRate, String schedule,
                         Optimizer optimizer, BatchNormMode batchNorm, int batch, int maxEpochs, int evalEvery,
                         Monitor monitor, boolean earlyStopping, long patience, long seed,
                         Splits.Fractions fractions, Double stopAtAccuracy) {

    /** The validation score that early stopping and "best weights" minimise. */
    public enum Monitor {
        /** Mean negative log-likelihood on the validation split. */
        LOSS,
        /** 1 - accuracy on the validation split (an error rate, so lower is better: DL4J issue 5459's pitfall). */
        ERROR
    }

    public FitOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(fractions, "fractions");
        schedule = schedule == null || schedule.isBlank() ? "constant" : schedule.strip();
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        if (maxEpochs < 1) {
            throw new InvalidInputException("--max-epochs must be at least 1, got " + maxEpochs);
        }
        if (evalEvery < 0 || patience < 0) {
            throw new InvalidInputException("--eval-every and --patience must be >= 0, got " + evalEvery + ", "
                    + patience);
        }
        if (stopAtAccuracy != null && !(stopAtAccuracy > 0 && stopAtAccuracy <= 1)) {
            throw new InvalidInputException("--stop-at-accuracy must be in (0, 1] (a validation accuracy such as"
                    + " 0.95), got " + stopAtAccuracy);
        }
        if (learningRate != null && (!(learningRate > 0) || learningRate.isInfinite())) {
            throw new InvalidInputException("--lr must be a positive number or auto, got " + learningRate);
        }
        if (lrMult != null && discriminative != null) {
            throw new InvalidInputException("use either --lr-mult or --discriminative, not both");
        }
        if (strategy != Strategy.FINE_TUNE && freezeTo != null && !freezeTo.equalsIgnoreCase("none")) {
            throw new InvalidInputException("--freeze-to is for --strategy fine-tune; " + strategy
                    + (strategy == Strategy.SCRATCH ? " trains every layer" : " freezes everything before the head"
                    + " (choose where with --tap)"));
        }
        if (strategy == Strategy.SCRATCH && (lrMult != null || discriminative != null)) {
            throw new InvalidInputException("--strategy scratch trains every layer at the same rate: drop --lr-mult"
                    + " and --discriminative");
        }
        if (strategy == Strategy.SCRATCH && sourceWeights != null) {
            throw new InvalidInputException("--strategy scratch starts from fresh weights: drop --weights");
        }
    }

    /** The rate used when none is given: 0.01 for Nesterov momentum, 0.001 for Adam. */
    public static double defaultRate(Optimizer optimizer) {
        return optimizer.method() == Optimizer.Method.ADAM ? 1e-3 : 1e-2;
    }

    /** Settings for a run of {@code strategy} with tl4j's defaults; change them with {@link #builder}. */
    public static Builder builder(Path data, String model, Strategy strategy) {
        return new Builder(data, model, strategy);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(data, model, strategy);
        b.sourceWeights = sourceWeights;
        b.tap = tap;
        b.freezeTo = freezeTo;
        b.lrMult = lrMult;
        b.discriminative = discriminative;
        b.learningRate = learningRate;
        b.schedule = schedule;
        b.optimizer = optimizer;
        b.batchNorm = batchNorm;
        b.batch = batch;
        b.maxEpochs = maxEpochs;
        b.evalEvery = evalEvery;
        b.monitor = monitor;
        b.earlyStopping = earlyStopping;
        b.patience = patience;
        b.seed = seed;
        b.fractions = fractions;
        b.stopAtAccuracy = stopAtAccuracy;
        return b;
    }

    /** The BatchNorm mode in force: the one asked for, or the strategy's default. */
    public BatchNormMode effectiveBatchNorm() {
        if (batchNorm != null) {
            return batchNorm;
        }
        return strategy == Strategy.SCRATCH ? BatchNormMode.TRAINING : BatchNormMode.DEFAULT;
    }

    /** Fluent construction of {@link FitOptions}; defaults as the CLI's. */
    public static final class Builder {
        private final Path data;
        private final String model;
        private final Strategy strategy;
        private Path sourceWeights;
        private String tap;
        private String freezeTo;
        private String lrMult;
        private Double discriminative;
        private Double learningRate;
        private boolean rateSet;
        private String schedule = "constant";
        private Optimizer optimizer = Optimizer.DEFAULT;
        private BatchNormMode batchNorm;
        private int batch = 32;
        private int maxEpochs = 30;
        private int evalEvery;
        private Monitor monitor = Monitor.LOSS;
        private boolean earlyStopping = true;
        private long patience;
        private long seed = Splits.DEFAULT_SEED;
        private Splits.Fractions fractions = Splits.Fractions.DEFAULT;
        private Double stopAtAccuracy;

        private Builder(Path data, String model, Strategy strategy) {
            this.data = data;
            this.model = model;
            this.strategy = strategy;
        }

        public Builder sourceWeights(Path v) { sourceWeights = v; return this; }
        public Builder tap(String v) { tap = v; return this; }
        public Builder freezeTo(String v) { freezeTo = v; return this; }
        public Builder lrMult(String v) { lrMult = v; return this; }
        public Builder discriminative(Double v) { discriminative = v; return this; }
        /** The base rate; null searches for one. */
        public Builder learningRate(Double v) { learningRate = v; rateSet = true; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder optimizer(Optimizer v) { optimizer = v; return this; }
        public Builder batchNorm(BatchNormMode v) { batchNorm = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder monitor(Monitor v) { monitor = v; return this; }
        public Builder earlyStopping(boolean v) { earlyStopping = v; return this; }
        public Builder patience(long v) { patience = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder fractions(Splits.Fractions v) { fractions = v; return this; }
        /** Stop once validation accuracy reaches this; null (the default) never stops for it. */
        public Builder stopAtAccuracy(Double v) { stopAtAccuracy = v; return this; }

        public FitOptions build() {
            Double rate = rateSet ? learningRate : Double.valueOf(defaultRate(optimizer));
            return new FitOptions(data, model, strategy, sourceWeights, tap, freezeTo, lrMult, discriminative, rate,
                    schedule, optimizer, batchNorm, batch, maxEpochs, evalEvery, monitor, earlyStopping, patience,
                    seed, fractions, stopAtAccuracy);
        }
    }
}
