package org.tl4j.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps measured facts about a target task to an {@link Advice}, following the four cases of the CS231n transfer
 * learning notes, after first asking whether the source features help at all:
 * <ol>
 *   <li>Do they help? The best pretrained tap's linear probe must beat the same probe on the same architecture
 *       with random weights (and on raw pixels, when measured) by {@link SelectorThresholds#minGainOverBaseline()}
 *       and by one standard error of the difference; otherwise train from scratch.</li>
 *   <li>Small or large: median images per class against {@link SelectorThresholds#largeMinPerClass()}.</li>
 *   <li>Similar or different: the top tap's probe accuracy rescaled between chance and 1 against
 *       {@link SelectorThresholds#similarMinNormalisedProbe()}, and no earlier tap beating the top by
 *       {@link SelectorThresholds#earlierTapMargin()}.</li>
 * </ol>
 * small + similar: linear classifier on the top codes; small + different: SVM on an earlier tap's codes;
 * large + similar: fine-tune the top groups; large + different: fine-tune everything from the pretrained weights
 * with discriminative learning rates. A pure function of its inputs, so every case is tested without training.
 */
public final class StrategySelector {

    private final SelectorThresholds thresholds;

    public StrategySelector(SelectorThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** A selector with {@link SelectorThresholds#DEFAULT}. */
    public static StrategySelector withDefaults() {
        return new StrategySelector(SelectorThresholds.DEFAULT);
    }

    /** The advice for the evidence. */
    public Advice advise(SelectorEvidence e) {
        SelectorThresholds t = thresholds;
        List<String> reasons = new ArrayList<>();
        SizeFacts size = e.size();
        TapScores top = e.top();
        // Best tap by probe; ties go to the later tap (the list is early to late, max keeps the last of equals).
        TapScores best = e.pretrained().stream().reduce((a, b) -> b.probeAccuracy() >= a.probeAccuracy() ? b : a)
                .orElseThrow();
        double chance = e.chance();
        reasons.add(String.format(Locale.ROOT, "data: %s; chance (largest class) %.3f", size, chance));
        for (TapScores tap : e.pretrained()) {
            reasons.add("tap " + tap + e.randomInit(tap.tap()).map(r -> String.format(Locale.ROOT,
                    "; random weights: probe %.3f, LogME %.3f", r.probeAccuracy(), r.logMe())).orElse(""));
        }
        e.leep().ifPresent(v -> reasons.add(String.format(Locale.ROOT, "LEEP of the source head %.3f (-log K = %.3f"
                + " would mean its predictions say nothing about the target labels)", v, -Math.log(size.classes()))));

        // 1. Do the source features help?
        Optional<TapScores> bestRandom = e.randomInit().stream().max(Comparator.comparingDouble(TapScores::probeAccuracy));
        double baseline = Math.max(bestRandom.map(TapScores::probeAccuracy).orElse(0.0),
                e.rawPixelProbe().orElse(0.0));
        boolean hasBaseline = bestRandom.isPresent() || e.rawPixelProbe().isPresent();
        String baselineText = (bestRandom.map(r -> String.format(Locale.ROOT, "random weights %.3f (at %s)",
                r.probeAccuracy(), r.tap())).orElse("")
                + (bestRandom.isPresent() && e.rawPixelProbe().isPresent() ? ", " : "")
                + (e.rawPixelProbe().isPresent() ? String.format(Locale.ROOT, "raw pixels %.3f",
                e.rawPixelProbe().getAsDouble()) : ""));
        double gain = best.probeAccuracy() - baseline;
        double required = requiredGain(best.probeAccuracy(), size.images());
        if (!e.sourceTrained()) {
            reasons.add(String.format(Locale.ROOT, "the source features do not help: the network has no trained"
                    + " weights, so its codes are those of a random network (best tap %s probes %.3f%s%s)",
                    best.tap(), best.probeAccuracy(), hasBaseline ? ", the baseline " : "", baselineText));
            return scratch(e, reasons);
        }
        if (hasBaseline && gain < required) {
            reasons.add(String.format(Locale.ROOT, "the source features do not help: the best pretrained tap %s"
                            + " probes %.3f, the baseline %s; a gain of %+.1f pp, below the %.1f pp required (the"
                            + " larger of %.1f pp and one standard error of a difference of two accuracies on %d"
                            + " images)", best.tap(), best.probeAccuracy(), baselineText, 100 * gain, 100 * required,
                    100 * t.minGainOverBaseline(), size.images()));
            if (isMedium(size)) {
                return mediumTarget(e, reasons);
            }
            if (size.medianPerClass() < t.largeMinPerClass()) {
                return e.batchNorm() ? tooLittleDataForScratch(e, best, reasons) : smallWithoutBatchNorm(e, reasons);
            }
            return scratch(e, reasons);
        }
        reasons.add(hasBaseline
                ? String.format(Locale.ROOT, "the source features help: the best pretrained tap %s probes %.3f against"
                        + " the baseline %s, %+.1f pp (at least %.1f pp required)", best.tap(), best.probeAccuracy(),
                baselineText, 100 * gain, 100 * required)
                : "no baseline (random weights or raw pixels) was measured, so whether the source features help was"
                + " not checked; assuming they do");

        return quadrant(e, reasons);
    }

    /**
     * The candidates {@code --advise-by-trial} tries, best first, at most {@code max}: the advice itself; the
     * quadrant's advice assuming the source features help (when the advice is scratch); then the strategy that
     * adapts the features more (fine-tune all for a small target, the other fine-tuning for a large one, so a probe
     * that misjudges the features is checked by training); then scratch. Each alternative's reasons begin with why
     * it is a candidate. Empty of alternatives when the source has no trained weights (only scratch makes sense).
     */
    public List<Advice> candidates(SelectorEvidence e, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one candidate, got " + max);
        }
        List<Advice> result = new ArrayList<>();
        Advice advised = advise(e);
        result.add(advised);
        if (!e.sourceTrained()) {
            return result;
        }
        Advice transfer = advised.strategy() == Strategy.SCRATCH
                ? prefixed("trial candidate: what the selector advises if the source features do help",
                quadrant(e, new ArrayList<>())) : advised;
        boolean large = e.size().medianPerClass() >= thresholds.largeMinPerClass();
        Advice adapting;
        if (!large || transfer.strategy() == Strategy.FINE_TUNE_TOP) {
            adapting = fineTuneAll(e, new ArrayList<>(List.of("trial candidate: fine-tune every layer, in case the"
                    + " probe of the frozen codes underrates what training can make of the source features")));
        } else {
            adapting = fineTuneTop(e, new ArrayList<>(List.of("trial candidate: fine-tune only the top groups, in"
                    + " case the top features need less change than the probe suggests")));
        }
        Advice scratch = scratch(e, new ArrayList<>(List.of("trial candidate: the same architecture from scratch,"
                + " in case the source features do not help after all")));
        for (Advice a : List.of(transfer, adapting, scratch)) {
            if (result.size() < max && result.stream().noneMatch(r -> r.strategy() == a.strategy())) {
                result.add(a);
            }
        }
        return result;
    }

    private static Advice prefixed(String reason, Advice a) {
        List<String> reasons = new ArrayList<>();
        reasons.add(reason);
        reasons.addAll(a.reasons());
        return new Advice(a.strategy(), a.tap(), a.plan(), a.cost(), reasons);
    }

    /** Steps 2 and 3 and the quadrant's advice, once the source features are taken to help. */
    private Advice quadrant(SelectorEvidence e, List<String> reasons) {
        SelectorThresholds t = thresholds;
        SizeFacts size = e.size();
        TapScores top = e.top();
        double chance = e.chance();
        // 2. Small or large.
        boolean large = size.medianPerClass() >= t.largeMinPerClass();
        reasons.add(String.format(Locale.ROOT, "%s target: median %d images per class (%s %d)",
                large ? "large" : "small", size.medianPerClass(), large ? ">=" : "<", t.largeMinPerClass()));

        // 3. Similar or different.
        double normalised = (top.probeAccuracy() - chance) / Math.max(1 - chance, 1e-9);
        Optional<TapScores> bestEarlier = e.pretrained().subList(0, e.pretrained().size() - 1).stream()
                .max(Comparator.comparingDouble(TapScores::probeAccuracy));
        boolean earlierWins = bestEarlier.map(b -> b.probeAccuracy() - top.probeAccuracy() >= t.earlierTapMargin())
                .orElse(false);
        boolean similar = normalised >= t.similarMinNormalisedProbe() && !earlierWins;
        reasons.add(String.format(Locale.ROOT, "%s to the source: the top tap %s probes %.3f, %.2f of the way from"
                        + " chance to 1 (%s %.2f)%s", similar ? "similar" : "different", top.tap(), top.probeAccuracy(),
                normalised, normalised >= t.similarMinNormalisedProbe() ? ">=" : "<", t.similarMinNormalisedProbe(),
                bestEarlier.map(b -> String.format(Locale.ROOT, "; the best earlier tap %s probes %.3f (%+.1f pp, %s"
                                + " %.1f pp)", b.tap(), b.probeAccuracy(), 100 * (b.probeAccuracy() - top.probeAccuracy()),
                        earlierWins ? "at least" : "less than", 100 * t.earlierTapMargin())).orElse("")));

        List<String> groups = e.groups();
        if (isMedium(size)) {
            return mediumTarget(e, reasons);
        }
        if (!large && !e.batchNorm()) {
            return smallWithoutBatchNorm(e, reasons);
        }
        if (!large && similar) {
            reasons.add("small and similar: a linear classifier on the top tap's codes (too little data to fine-tune"
                    + " without overfitting, and the top features already separate the classes)");
            return new Advice(Strategy.LINEAR_ON_CODES, top.tap(), null, cost(e, 1), reasons);
        }
        if (!large) {
            TapScores svmTap = bestEarlier.orElse(top);
            reasons.add(String.format(Locale.ROOT, "small and different: a linear SVM on the codes of the earlier tap %s"
                    + " (probe %.3f): too little data to fine-tune, and earlier features are less specific to the"
                    + " source task", svmTap.tap(), svmTap.probeAccuracy()));
            return new Advice(Strategy.SVM_ON_EARLIER_TAP, svmTap.tap(), null, cost(e, 1), reasons);
        }
        if (similar) {
            reasons.add("large and similar: enough data to adapt the top features without overfitting");
            return fineTuneTop(e, reasons);
        }
        reasons.add("large and different: enough data to adapt every layer, and the top features need it");
        return fineTuneAll(e, reasons);
    }

    /** At least {@code mediumMinPerClass} but fewer than {@code largeMinPerClass} images per class (median). */
    private boolean isMedium(SizeFacts size) {
        return size.medianPerClass() >= thresholds.mediumMinPerClass()
                && size.medianPerClass() < thresholds.largeMinPerClass();
    }

    /**
     * A medium target: enough images per class for fine-tuning to pay, too few for the probes to tell the strategies
     * apart reliably; tl4j's transfer grid found fine-tuning every layer the safe choice there.
     */
    private Advice mediumTarget(SelectorEvidence e, List<String> reasons) {
        reasons.add(String.format(Locale.ROOT, "medium target: median %d images per class (%d to %d): on tl4j's"
                + " transfer grid at 82 per class, fine-tuning every layer came within 1.9 pp of the best strategy on"
                + " all 8 source x target pairs (4 sources, 2 targets), whether or not the probes said the features"
                + " help, while the probes' choice (frozen codes, scratch) lost up to 13.7 pp",
                e.size().medianPerClass(), thresholds.mediumMinPerClass(), thresholds.largeMinPerClass() - 1));
        return fineTuneAll(e, reasons);
    }

    /**
     * A small target on a network without BatchNorm layers. tl4j's transfer grid (calibration.json, "transferGrid",
     * "smallWithoutBatchNorm") measured fine-tuning every layer of alexnet-small, its one such network, as the best
     * transfer strategy at 10 images per class on both targets, where frozen codes (this selector's usual small-target
     * advice) lost 2-6 pp; on the BatchNorm networks (ResNet, GoogLeNet) the frozen-code advice was at most 1.5 pp
     * behind it and up to 7.4 pp ahead. Fitted on those cells, on one architecture without BatchNorm; whether
     * BatchNorm is the cause was not tested: it is the architectural fact that separates the two groups there.
     */
    private Advice smallWithoutBatchNorm(SelectorEvidence e, List<String> reasons) {
        reasons.add(String.format(Locale.ROOT, "small target (median %d images per class) on a network without"
                + " BatchNorm layers: on tl4j's transfer grid, fine-tuning every layer of alexnet-small at 10 per class"
                + " beat the frozen-code strategies by 2-6 pp on both targets, while on the BatchNorm networks the"
                + " frozen-code advice was at most 1.5 pp behind it", e.size().medianPerClass()));
        return fineTuneAll(e, reasons);
    }

    private Advice fineTuneTop(SelectorEvidence e, List<String> reasons) {
        SelectorThresholds t = thresholds;
        List<String> groups = e.groups();
        TapScores top = e.top();
        int trained = Math.min(t.fineTuneTopGroups(), groups.size());
        List<String> frozen = groups.subList(0, groups.size() - trained);
        String overrides = String.join(",", frozen.stream().map(g -> g + "=0").toList());
        reasons.add(String.format(Locale.ROOT, "fine-tune the top %d groups (%s), the rest frozen", trained,
                String.join(", ", groups.subList(groups.size() - trained, groups.size()))));
        Advice.PlanParameters plan = new Advice.PlanParameters(t.baseLearningRate(), overrides, null,
                t.fineTuneEpochs());
        // The frozen part runs forward only: charge a full training step for the trained share of the groups.
        double share = (double) trained / groups.size();
        return new Advice(Strategy.FINE_TUNE_TOP, top.tap(), plan,
                cost(e, t.fineTuneEpochs() * (1 + (t.forwardPassesPerTrainingStep() - 1) * share)), reasons);
    }

    private Advice fineTuneAll(SelectorEvidence e, List<String> reasons) {
        SelectorThresholds t = thresholds;
        List<String> groups = e.groups();
        TapScores top = e.top();
        reasons.add(String.format(Locale.ROOT, "fine-tune every layer starting from the pretrained"
                + " weights, with discriminative rates from 1/%.0f of the base rate on %s to 1 on %s", t.discriminativeFactor(),
                groups.get(0), groups.get(groups.size() - 1)));
        Advice.PlanParameters plan = new Advice.PlanParameters(t.baseLearningRate(), "", t.discriminativeFactor(),
                t.fineTuneEpochs());
        return new Advice(Strategy.FINE_TUNE_ALL, top.tap(), plan,
                cost(e, t.fineTuneEpochs() * t.forwardPassesPerTrainingStep()), reasons);
    }

    /**
     * Features that do not help, on a target too small to train a network from scratch: tl4j's transfer grid
     * (calibration.json, "transferGrid") measured scratch far below even a narrow source's frozen codes at 10 images
     * per class, so the cheapest strategy that keeps the most general features is advised instead.
     */
    private Advice tooLittleDataForScratch(SelectorEvidence e, TapScores best, List<String> reasons) {
        reasons.add(String.format(Locale.ROOT, "but with a median of %d images per class (< %d) training from scratch"
                + " does worse still: on tl4j's transfer grid, resnet50-small from scratch scored 0.19 on digits at 10"
                + " per class, while an SVM on the earlier codes of the narrow Fashion 0-4 source scored 0.38", e.size()
                .medianPerClass(), thresholds.largeMinPerClass()));
        reasons.add("so a linear SVM on the codes of the best-probing tap " + best.tap() + " (the cheapest strategy;"
                + " expect little from it); with " + thresholds.mediumMinPerClass() + " or more images per class,"
                + " fine-tuning every layer becomes the advice");
        return new Advice(Strategy.SVM_ON_EARLIER_TAP, best.tap(), null, cost(e, 1), reasons);
    }

    private Advice scratch(SelectorEvidence e, List<String> reasons) {
        SelectorThresholds t = thresholds;
        reasons.add("so train the same architecture from scratch (random initialisation, all layers at the base"
                + " rate): transfer from this source is not expected to beat it");
        Advice.PlanParameters plan = new Advice.PlanParameters(t.baseLearningRate(), "", 1.0, t.scratchEpochs());
        return new Advice(Strategy.SCRATCH, e.top().tap(), plan,
                cost(e, t.scratchEpochs() * t.forwardPassesPerTrainingStep()), reasons);
    }

    /**
     * The gain over the baseline that counts as real: at least {@link SelectorThresholds#minGainOverBaseline()},
     * and at least one standard error of the difference of two accuracies near p measured on n images,
     * sqrt(2 p (1 - p) / n), because on 50 images two probes of equally useful codes differ by several points.
     */
    double requiredGain(double p, int n) {
        return Math.max(thresholds.minGainOverBaseline(), Math.sqrt(2 * p * (1 - p) / Math.max(n, 1)));
    }

    private static Advice.Cost cost(SelectorEvidence e, double passes) {
        long imagePasses = Math.round(passes * e.size().images());
        Double minutes = e.imagesPerSecond().isPresent() && e.imagesPerSecond().getAsDouble() > 0
                ? imagePasses / e.imagesPerSecond().getAsDouble() / 60 : null;
        return new Advice.Cost(passes, imagePasses, minutes);
    }
}
