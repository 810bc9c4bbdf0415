package org.tl4j.bench.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tl4j.data.InvalidInputException;
import org.tl4j.select.Strategy;

/**
 * The strategies the transfer benchmark measures in every cell (issue 6). Each fixed strategy is carried out with
 * the settings the selector's advice of the same kind uses ({@link StrategyPlans}), so that {@code auto} and the
 * strategy it picks run the same training.
 */
public enum BenchStrategy {
    /** Logistic (softmax) head on the top tap's frozen codes: fit --strategy feature-extractor. */
    LINEAR("linear", Strategy.LINEAR_ON_CODES),
    /** Linear SVM on the top tap's codes, C chosen on validation: fit --strategy svm. */
    SVM_TOP("svm-top", null),
    /** Linear SVM on the codes of the tap just before the top one. */
    SVM_EARLIER("svm-earlier", Strategy.SVM_ON_EARLIER_TAP),
    /** Fine-tune the top layer groups (the selector's count), earlier groups frozen. */
    FINE_TUNE_TOP("fine-tune-top", Strategy.FINE_TUNE_TOP),
    /** Fine-tune every layer with discriminative (geometrically smaller early) rates. */
    FINE_TUNE_ALL("fine-tune-all", Strategy.FINE_TUNE_ALL),
    /** The same architecture from fresh weights: run once per architecture, shared by its sources. */
    SCRATCH("scratch", Strategy.SCRATCH),
    /** fit --strategy auto: the selector's advice, then what it advises. */
    AUTO("auto", null),
    /** fit --strategy auto --advise-by-trial: short trials of the selector's best candidates decide. */
    AUTO_TRIAL("auto-trial", null);

    /** What {@code --strategies} runs when not given: every strategy this build can run. */
    public static final List<BenchStrategy> DEFAULTS = List.of(LINEAR, SVM_TOP, SVM_EARLIER, FINE_TUNE_TOP,
            FINE_TUNE_ALL, SCRATCH, AUTO, AUTO_TRIAL);

    private final String cliName;
    private final Strategy selectorStrategy;

    BenchStrategy(String cliName, Strategy selectorStrategy) {
        this.cliName = cliName;
        this.selectorStrategy = selectorStrategy;
    }

    /** The name in --strategies, results.json and results.md. */
    public String cliName() {
        return cliName;
    }

    /** The selector's strategy this one carries out, null for svm-top and the auto variants. */
    public Strategy selectorStrategy() {
        return selectorStrategy;
    }

    /** Whether it is the selector's choice rather than a fixed strategy. */
    public boolean isAuto() {
        return this == AUTO || this == AUTO_TRIAL;
    }

    /** Whether it starts from the source's weights (every fixed strategy but scratch). */
    public boolean isTransfer() {
        return !isAuto() && this != SCRATCH;
    }

    /** The benchmark strategy that matches what the selector advised (for showing auto's choice). */
    public static BenchStrategy ofAdvice(Strategy advised) {
        for (BenchStrategy s : values()) {
            if (s.selectorStrategy == advised) {
                return s;
            }
        }
        throw new IllegalArgumentException("no benchmark strategy for " + advised);
    }

    /** Parses one name. */
    public static BenchStrategy parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        for (BenchStrategy s : values()) {
            if (s.cliName.equals(value)) {
                return s;
            }
        }
        throw new InvalidInputException("--strategies: unknown strategy '" + text + "'; use any of "
                + Arrays.stream(values()).map(BenchStrategy::cliName).toList());
    }

    /** Parses a comma-separated list, keeping its order, without repeats. */
    public static List<BenchStrategy> parseList(String csv) {
        List<BenchStrategy> list = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                BenchStrategy s = parse(part);
                if (!list.contains(s)) {
                    list.add(s);
                }
            }
        }
        if (list.isEmpty()) {
            throw new InvalidInputException("--strategies is empty; use e.g. " + String.join(",",
                    DEFAULTS.stream().map(BenchStrategy::cliName).toList()));
        }
        return list;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
