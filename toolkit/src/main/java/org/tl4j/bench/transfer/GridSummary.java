package org.tl4j.bench.transfer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What results.md reports, computed from the cells alone (a pure function, tested on hand-made cells): per source x
 * target x size, each strategy's mean and sample standard deviation of test accuracy over the seeds and its mean
 * wall time, the best strategy (scratch included, the auto variants not: they are choices, not strategies), what
 * auto (and auto-trial) chose, the selector's regret (best mean accuracy minus auto's mean; the same for auto-trial)
 * and the best transfer strategy's gain over scratch; then the mean regret over the groups and the worst group.
 *
 * @param groups     one per source x target x size, in the order the cells were run
 * @param meanRegret mean of the groups' regrets (null when no group has auto and another strategy)
 * @param worst      the group with the largest regret (null as for meanRegret)
 * @param meanTrialRegret mean of the groups' regrets of {@code auto-trial} (null when it did not run)
 * @param worstTrial the group with the largest {@code auto-trial} regret (null as for meanTrialRegret)
 */
public record GridSummary(List<Group> groups, Double meanRegret, Group worst, Double meanTrialRegret,
                          Group worstTrial) {

    /**
     * @param strategy        benchmark strategy name
     * @param runs            seeds measured
     * @param meanAccuracy    mean test accuracy over the seeds
     * @param sdAccuracy      sample standard deviation (n - 1) over the seeds; null with one seed
     * @param meanWallSeconds mean wall time of a run
     */
    public record StrategyStats(String strategy, int runs, double meanAccuracy, Double sdAccuracy,
                                double meanWallSeconds) {
    }

    /**
     * @param source                   source adapter id
     * @param target                   target id
     * @param size                     size label
     * @param strategies               per strategy, in the grid's strategy order
     * @param best                     the strategy with the best mean accuracy (auto excluded), null when none
     * @param bestMean                 its mean accuracy
     * @param autoChoices              what auto chose, strategy -> number of seeds
     * @param autoMean                 auto's mean accuracy, null when auto did not run
     * @param regret                   bestMean - autoMean, null when either is missing
     * @param bestTransfer             the transfer strategy with the best mean accuracy, null when none ran
     * @param bestTransferMinusScratch its mean accuracy minus scratch's, null when either is missing
     * @param trialChoices             what auto-trial chose, strategy -> number of seeds
     * @param trialMean                auto-trial's mean accuracy, null when it did not run
     * @param trialRegret              bestMean - trialMean, null when either is missing
     */
    public record Group(String source, String target, String size, List<StrategyStats> strategies, String best,
                        Double bestMean, Map<String, Integer> autoChoices, Double autoMean, Double regret,
                        String bestTransfer, Double bestTransferMinusScratch, Map<String, Integer> trialChoices,
                        Double trialMean, Double trialRegret) {

        /** The stats of one strategy, if it ran in this group. */
        public java.util.Optional<StrategyStats> stats(String strategy) {
            return strategies.stream().filter(s -> s.strategy().equals(strategy)).findFirst();
        }
    }

    /**
     * Summarises the cells. Scratch cells count for every source of their architecture.
     *
     * @param cells         every finished cell
     * @param strategyOrder the order strategies are listed in (names not in it come after, sorted)
     */
    public static GridSummary of(List<CellResult> cells, List<String> strategyOrder) {
        Map<String, String> architectureOf = new LinkedHashMap<>();
        Set<List<String>> keys = new LinkedHashSet<>();
        for (CellResult c : cells) {
            if (!c.isScratch()) {
                architectureOf.putIfAbsent(c.source(), c.architecture());
            }
        }
        for (CellResult c : cells) {
            if (c.isScratch()) {
                architectureOf.putIfAbsent(c.source(), c.architecture());
            }
        }
        for (CellResult c : cells) {
            if (!c.isScratch()) {
                keys.add(List.of(c.source(), c.target(), c.size()));
            } else {
                // Every source of the architecture gets the scratch cell; a grid of scratch alone lists its own.
                architectureOf.forEach((source, arch) -> {
                    if (arch.equals(c.architecture())) {
                        keys.add(List.of(source, c.target(), c.size()));
                    }
                });
            }
        }
        List<Group> groups = new ArrayList<>();
        for (List<String> key : keys) {
            String source = key.get(0);
            String target = key.get(1);
            String size = key.get(2);
            String arch = architectureOf.get(source);
            List<CellResult> mine = cells.stream().filter(c -> c.target().equals(target) && c.size().equals(size)
                    && (c.isScratch() ? Objects.equals(c.architecture(), arch) : c.source().equals(source))).toList();
            groups.add(group(source, target, size, mine, strategyOrder));
        }
        List<Group> withRegret = groups.stream().filter(g -> g.regret() != null).toList();
        List<Group> withTrial = groups.stream().filter(g -> g.trialRegret() != null).toList();
        return new GridSummary(groups, mean(withRegret, Group::regret), worst(withRegret, Group::regret),
                mean(withTrial, Group::trialRegret), worst(withTrial, Group::trialRegret));
    }

    private static Double mean(List<Group> groups, java.util.function.ToDoubleFunction<Group> regret) {
        return groups.isEmpty() ? null : groups.stream().mapToDouble(regret).average().orElseThrow();
    }

    private static Group worst(List<Group> groups, java.util.function.ToDoubleFunction<Group> regret) {
        return groups.stream().max(Comparator.comparingDouble(regret)).orElse(null);
    }

    private static Group group(String source, String target, String size, List<CellResult> cells,
                               List<String> strategyOrder) {
        Map<String, List<CellResult>> byStrategy = new TreeMap<>(Comparator.comparingInt((String s) -> {
            int i = strategyOrder.indexOf(s);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Comparator.naturalOrder()));
        for (CellResult c : cells) {
            byStrategy.computeIfAbsent(c.strategy(), k -> new ArrayList<>()).add(c);
        }
        List<StrategyStats> stats = new ArrayList<>();
        byStrategy.forEach((strategy, runs) -> stats.add(stats(strategy, runs)));

        StrategyStats best = null;
        StrategyStats bestTransfer = null;
        StrategyStats scratch = null;
        StrategyStats auto = null;
        StrategyStats trial = null;
        for (StrategyStats s : stats) {
            BenchStrategy known = known(s.strategy());
            boolean isAuto = known != null && known.isAuto();
            if (!isAuto && (best == null || s.meanAccuracy() > best.meanAccuracy())) {
                best = s;
            }
            if (known != null && known.isTransfer()
                    && (bestTransfer == null || s.meanAccuracy() > bestTransfer.meanAccuracy())) {
                bestTransfer = s;
            }
            if (known == BenchStrategy.SCRATCH) {
                scratch = s;
            }
            if (known == BenchStrategy.AUTO) {
                auto = s;
            }
            if (known == BenchStrategy.AUTO_TRIAL) {
                trial = s;
            }
        }
        Double regret = best != null && auto != null ? best.meanAccuracy() - auto.meanAccuracy() : null;
        Double trialRegret = best != null && trial != null ? best.meanAccuracy() - trial.meanAccuracy() : null;
        Double gain = bestTransfer != null && scratch != null
                ? bestTransfer.meanAccuracy() - scratch.meanAccuracy() : null;
        return new Group(source, target, size, stats, best == null ? null : best.strategy(),
                best == null ? null : best.meanAccuracy(), choices(byStrategy, BenchStrategy.AUTO),
                auto == null ? null : auto.meanAccuracy(), regret, bestTransfer == null ? null : bestTransfer.strategy(),
                gain, choices(byStrategy, BenchStrategy.AUTO_TRIAL), trial == null ? null : trial.meanAccuracy(),
                trialRegret);
    }

    private static Map<String, Integer> choices(Map<String, List<CellResult>> byStrategy, BenchStrategy auto) {
        Map<String, Integer> choices = new TreeMap<>();
        for (CellResult c : byStrategy.getOrDefault(auto.cliName(), List.of())) {
            choices.merge(c.autoChoice() == null ? "unknown" : c.autoChoice(), 1, Integer::sum);
        }
        return choices;
    }

    /** Mean, sample standard deviation (n - 1; null for one run) and mean wall time of one strategy's runs. */
    static StrategyStats stats(String strategy, List<CellResult> runs) {
        int n = runs.size();
        double mean = runs.stream().mapToDouble(CellResult::accuracy).average().orElse(Double.NaN);
        Double sd = null;
        if (n > 1) {
            double squares = runs.stream().mapToDouble(r -> (r.accuracy() - mean) * (r.accuracy() - mean)).sum();
            sd = Math.sqrt(squares / (n - 1));
        }
        double wall = runs.stream().mapToDouble(CellResult::wallSeconds).average().orElse(Double.NaN);
        return new StrategyStats(strategy, n, mean, sd, wall);
    }

    private static BenchStrategy known(String name) {
        for (BenchStrategy s : BenchStrategy.values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
