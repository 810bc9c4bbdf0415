package org.tl4j.bench.transfer;

import java.util.List;
import org.tl4j.data.InvalidInputException;
import org.tl4j.select.Advice;
import org.tl4j.select.NextCommand;
import org.tl4j.select.SelectorThresholds;
import org.tl4j.select.Strategy;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;

/**
 * The fit settings of each fixed benchmark strategy: the advice the selector would give for that strategy, turned
 * into fit options by {@link NextCommand#fitArguments} (the mapping {@code fit --strategy auto} applies). So a
 * strategy measured in the grid and the same strategy chosen by {@code auto} train with the same tap, multipliers,
 * optimizer and rate, and the selector's regret compares like with like.
 */
public final class StrategyPlans {

    private StrategyPlans() {
    }

    /** The fit options ({@code --strategy ...}) of a fixed strategy that trains with TransferTraining. */
    public static List<String> fitArguments(BenchStrategy strategy, AdapterSpec adapter, SelectorThresholds t) {
        if (strategy.selectorStrategy() == null || strategy == BenchStrategy.SVM_EARLIER) {
            throw new IllegalArgumentException(strategy + " is not carried out by fit options");
        }
        return NextCommand.fitArguments(advice(strategy.selectorStrategy(), adapter, t));
    }

    /**
     * The advice of the selector's strategy, with the plan parameters {@link org.tl4j.select.StrategySelector} gives
     * it (same thresholds): FINE_TUNE_TOP trains the top {@code fineTuneTopGroups} groups, FINE_TUNE_ALL spreads
     * rates by {@code discriminativeFactor}, SCRATCH trains everything at the base rate.
     */
    static Advice advice(Strategy strategy, AdapterSpec adapter, SelectorThresholds t) {
        String top = adapter.defaultTap();
        List<String> groups = adapter.groups().stream().map(LayerGroup::name).toList();
        Advice.Cost none = new Advice.Cost(0, 0, null);
        List<String> reasons = List.of("fixed strategy of the transfer benchmark");
        return switch (strategy) {
            case LINEAR_ON_CODES -> new Advice(strategy, top, null, none, reasons);
            case SVM_ON_EARLIER_TAP -> new Advice(strategy, earlierTap(adapter), null, none, reasons);
            case FINE_TUNE_TOP -> {
                int trained = Math.min(t.fineTuneTopGroups(), groups.size());
                String overrides = String.join(",", groups.subList(0, groups.size() - trained).stream()
                        .map(g -> g + "=0").toList());
                yield new Advice(strategy, top, new Advice.PlanParameters(t.baseLearningRate(), overrides, null,
                        t.fineTuneEpochs()), none, reasons);
            }
            case FINE_TUNE_ALL -> new Advice(strategy, top, new Advice.PlanParameters(t.baseLearningRate(), "",
                    t.discriminativeFactor(), t.fineTuneEpochs()), none, reasons);
            case SCRATCH -> new Advice(strategy, top, new Advice.PlanParameters(t.baseLearningRate(), "", 1.0,
                    t.scratchEpochs()), none, reasons);
        };
    }

    /** The tap an SVM strategy reads: the top (default) tap, or the one just before it for svm-earlier. */
    static String svmTap(BenchStrategy strategy, AdapterSpec adapter) {
        return switch (strategy) {
            case SVM_TOP -> adapter.defaultTap();
            case SVM_EARLIER -> earlierTap(adapter);
            default -> throw new IllegalArgumentException(strategy + " is not an SVM strategy");
        };
    }

    /** The tap listed just before the adapter's default (top) tap. */
    static String earlierTap(AdapterSpec adapter) {
        List<Tap> taps = adapter.taps();
        int top = taps.indexOf(adapter.defaultTapSpec());
        if (top < 1) {
            throw new InvalidInputException("adapter '" + adapter.id() + "' lists no tap before its top tap '"
                    + adapter.defaultTap() + "': drop svm-earlier from --strategies");
        }
        return taps.get(top - 1).name();
    }
}
