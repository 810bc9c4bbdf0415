package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Each of the selector's cases reached from realistic inputs (numbers of the size the PyTorch reference runs of
 * issues 5 and 6 report for the glyph source on digits and Fashion 5-9), with reasons that quote the numbers.
 */
class StrategySelectorTest {

    private static final List<String> RESNET_GROUPS = List.of("stem", "res2", "res3", "res4", "res5", "head");

    private static SizeFacts balanced(int classes, int perClass) {
        int[] counts = new int[classes];
        Arrays.fill(counts, perClass);
        return SizeFacts.ofCounts(counts);
    }

    private static List<TapScores> taps(double res3d, double res4f, double avgpool) {
        return List.of(new TapScores("res3d", 128, res3d, -0.9, 1.1),
                new TapScores("res4f", 256, res4f, -0.7, 2.0),
                new TapScores("avgpool", 512, avgpool, -0.4, 3.5));
    }

    private static SelectorEvidence evidence(SizeFacts size, List<TapScores> pretrained, double randomInitProbe) {
        List<TapScores> random = pretrained.stream()
                .map(t -> new TapScores(t.tap(), t.dimensions(), randomInitProbe, -1.2, 0.5)).toList();
        return new SelectorEvidence(size, pretrained, random, OptionalDouble.empty(), OptionalDouble.empty(),
                RESNET_GROUPS, OptionalDouble.of(400));
    }

    private static String text(Advice advice) {
        return String.join("\n", advice.reasons());
    }

    @Test
    void smallAndSimilarGivesALinearClassifierOnTheTopCodes() {
        // glyphs -> handwritten digits, 10 per class: linear on codes 0.944 in the reference.
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 10), taps(0.80, 0.90, 0.944), 0.62));
        assertEquals(Strategy.LINEAR_ON_CODES, advice.strategy(), text(advice));
        assertEquals("avgpool", advice.tap());
        assertNull(advice.plan());
        assertTrue(text(advice).contains("0.944") && text(advice).contains("0.620")
                && text(advice).contains("median 10 images per class"), text(advice));
        assertTrue(text(advice).contains("small and similar"), text(advice));
        assertEquals(100, advice.cost().imagePasses());
        assertEquals(100 / 400.0 / 60, advice.cost().minutes(), 1e-12);
    }

    @Test
    void smallAndDifferentGivesAnSvmOnTheBestEarlierTap() {
        // glyphs -> Fashion 5-9, 10 per class: frozen top codes about 0.77 in the reference.
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(5, 10), taps(0.80, 0.78, 0.77), 0.60));
        assertEquals(Strategy.SVM_ON_EARLIER_TAP, advice.strategy(), text(advice));
        assertEquals("res3d", advice.tap());
        assertTrue(text(advice).contains("0.770") && text(advice).contains("0.800") && text(advice).contains("different"),
                text(advice));
    }

    @Test
    void aMediumTargetFineTunesEveryLayerWhetherOrNotTheFeaturesHelp() {
        // tl4j's grid at 82 per class: fine-tune-all within 1.9 pp of the best on all 8 source x target pairs.
        Advice helping = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 82), taps(0.87, 0.89, 0.885), 0.76));
        assertEquals(Strategy.FINE_TUNE_ALL, helping.strategy(), text(helping));
        assertEquals(10.0, helping.plan().discriminative());
        assertTrue(text(helping).contains("source features help") && text(helping).contains("medium target: median 82"),
                text(helping));
        Advice notHelping = StrategySelector.withDefaults().advise(
                evidence(balanced(5, 82), taps(0.82, 0.84, 0.75), 0.87));
        assertEquals(Strategy.FINE_TUNE_ALL, notHelping.strategy(), text(notHelping));
        assertTrue(text(notHelping).contains("do not help") && text(notHelping).contains("medium target"),
                text(notHelping));
        // Below the medium band the probe-based rules still decide.
        Advice small = StrategySelector.withDefaults().advise(evidence(balanced(5, 40), taps(0.82, 0.84, 0.75), 0.87));
        assertEquals(Strategy.SVM_ON_EARLIER_TAP, small.strategy(), text(small));
    }

    @Test
    void largeAndSimilarFineTunesTheTopGroupsWithTheRestFrozen() {
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 400), taps(0.90, 0.95, 0.97), 0.80));
        assertEquals(Strategy.FINE_TUNE_TOP, advice.strategy(), text(advice));
        assertNotNull(advice.plan());
        assertEquals("stem=0,res2=0,res3=0,res4=0", advice.plan().overrides());
        assertNull(advice.plan().discriminative());
        assertTrue(text(advice).contains("median 400 images per class") && text(advice).contains("large and similar"),
                text(advice));
        // A training epoch of the top 2 of 6 groups costs between a forward pass and a full training step.
        double perEpoch = advice.cost().forwardPasses() / advice.plan().epochs();
        assertTrue(perEpoch > 1 && perEpoch < 3, "passes per epoch " + perEpoch);
    }

    @Test
    void largeAndDifferentFineTunesEverythingWithDiscriminativeRates() {
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(5, 1000), taps(0.85, 0.84, 0.80), 0.70));
        assertEquals(Strategy.FINE_TUNE_ALL, advice.strategy(), text(advice));
        assertEquals(10.0, advice.plan().discriminative());
        assertEquals("", advice.plan().overrides());
        assertTrue(text(advice).contains("0.800") && text(advice).contains("large and different"), text(advice));
        assertEquals(5000L * 30, advice.cost().imagePasses());
    }

    @Test
    void aRandomWeightNetworkIsRecognisedAsNotHelping() {
        // The "pretrained" codes come from random weights: they probe like another random network's (here
        // a little better, by chance) and like raw pixels.
        SizeFacts size = balanced(10, 10);
        List<TapScores> pretrained = taps(0.64, 0.61, 0.58);
        SelectorEvidence e = new SelectorEvidence(size, pretrained,
                List.of(new TapScores("res3d", 128, 0.60, -1.0, 1.0), new TapScores("avgpool", 512, 0.55, -1.1, 1.0)),
                OptionalDouble.of(0.66), OptionalDouble.empty(), RESNET_GROUPS, OptionalDouble.empty());
        Advice advice = StrategySelector.withDefaults().advise(e);
        // 10 per class is too few to train from scratch (tl4j's transfer grid): the cheapest frozen strategy instead.
        assertEquals(Strategy.SVM_ON_EARLIER_TAP, advice.strategy(), text(advice));
        assertTrue(text(advice).contains("do not help") && text(advice).contains("0.640")
                && text(advice).contains("raw pixels 0.660") && text(advice).contains("does worse still"),
                text(advice));
        assertNull(advice.cost().minutes());
    }

    @Test
    void aNarrowSourceJustAboveRandomWeightsOnATinyTargetIsNotEnough() {
        // Fashion 0-4 -> digits, 10 per class: transfer 0.69 against scratch 0.80 in the reference. Codes a few
        // points above random weights on 100 images are within the probe's noise.
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 10), taps(0.66, 0.69, 0.65), 0.63));
        assertEquals(Strategy.SVM_ON_EARLIER_TAP, advice.strategy(), text(advice));
        assertEquals("res4f", advice.tap(), "the best-probing tap");
        assertTrue(text(advice).contains("+6.0 pp") && text(advice).contains("do not help"), text(advice));
    }

    @Test
    void featuresThatDoNotHelpOnATargetLargeEnoughToTrainMeanScratch() {
        // Codes that probe no better than random weights, with 100 images per class: enough data to train.
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 100), taps(0.62, 0.63, 0.61), 0.63));
        assertEquals(Strategy.SCRATCH, advice.strategy(), text(advice));
        assertTrue(text(advice).contains("do not help"), text(advice));
    }

    @Test
    void theSameGainOnAManyTimesLargerTargetCounts() {
        Advice advice = StrategySelector.withDefaults().advise(
                evidence(balanced(10, 1000), taps(0.66, 0.69, 0.65), 0.63));
        assertTrue(advice.strategy() != Strategy.SCRATCH, text(advice));
    }

    /** The same measurements of a network without BatchNorm layers. */
    private static SelectorEvidence withoutBatchNorm(SelectorEvidence e) {
        return new SelectorEvidence(e.size(), e.pretrained(), e.randomInit(), e.rawPixelProbe(), e.leep(), e.groups(),
                e.imagesPerSecond(), e.sourceTrained(), false);
    }

    /** alexnet-small.glyphs on digits at 10 per class, seed 1 of the transfer grid (its advice.json). */
    private static SelectorEvidence alexnetOnTenDigitsPerClass(boolean batchNorm) {
        List<TapScores> pretrained = List.of(new TapScores("pool5", 2304, 0.700, -0.9, 1.1),
                new TapScores("fc6", 1024, 0.700, -0.8, 1.5), new TapScores("fc7", 1024, 0.675, -0.8, 1.4));
        List<TapScores> random = List.of(new TapScores("pool5", 2304, 0.637, -1.2, 0.5),
                new TapScores("fc6", 1024, 0.475, -1.2, 0.5), new TapScores("fc7", 1024, 0.525, -1.2, 0.5));
        return new SelectorEvidence(balanced(10, 8), pretrained, random, OptionalDouble.of(0.6625),
                OptionalDouble.empty(), List.of("conv", "fc", "head"), OptionalDouble.empty(), true, batchNorm);
    }

    @Test
    void aSmallTargetOnANetworkWithoutBatchNormFineTunesEveryLayer() {
        // The grid's worst cell before this rule: SVM on fc6 codes 0.744, fine-tune-all 0.804 (3 seeds).
        Advice advice = StrategySelector.withDefaults().advise(alexnetOnTenDigitsPerClass(false));
        assertEquals(Strategy.FINE_TUNE_ALL, advice.strategy(), text(advice));
        assertTrue(text(advice).contains("without BatchNorm") && text(advice).contains("median 8 images"),
                text(advice));
        // The same measurements on a network with BatchNorm keep the frozen-code advice.
        Advice withBatchNorm = StrategySelector.withDefaults().advise(alexnetOnTenDigitsPerClass(true));
        assertEquals(Strategy.SVM_ON_EARLIER_TAP, withBatchNorm.strategy(), text(withBatchNorm));
    }

    @Test
    void aSimilarSmallTargetOnANetworkWithoutBatchNormFineTunesEveryLayerToo() {
        Advice advice = StrategySelector.withDefaults().advise(
                withoutBatchNorm(evidence(balanced(10, 10), taps(0.80, 0.90, 0.944), 0.62)));
        assertEquals(Strategy.FINE_TUNE_ALL, advice.strategy(), text(advice));
        assertTrue(text(advice).contains("the source features help"), text(advice));
    }

    @Test
    void aLargeTargetIsAdvisedAlikeWithOrWithoutBatchNorm() {
        SelectorEvidence similar = evidence(balanced(10, 1000), taps(0.80, 0.90, 0.97), 0.62);
        assertEquals(Strategy.FINE_TUNE_TOP, StrategySelector.withDefaults().advise(similar).strategy());
        assertEquals(Strategy.FINE_TUNE_TOP,
                StrategySelector.withDefaults().advise(withoutBatchNorm(similar)).strategy());
    }

    @Test
    void aNetworkWithoutTrainedWeightsIsNotASourceWhateverItsProbesSay() {
        // Two random networks probe very differently on a dozen images (AdviseCommandTest's stripes: 0.917 vs
        // 0.583), so an untrained adapter is recognised by having no weights, not by a lucky probe.
        SelectorEvidence e = new SelectorEvidence(balanced(2, 6), taps(0.92, 0.92, 0.92),
                taps(0.58, 0.58, 0.42), OptionalDouble.of(0.42), OptionalDouble.empty(), RESNET_GROUPS,
                OptionalDouble.empty(), false, true);
        Advice advice = StrategySelector.withDefaults().advise(e);
        assertEquals(Strategy.SCRATCH, advice.strategy(), text(advice));
        assertTrue(text(advice).contains("no trained weights") && text(advice).contains("0.920"), text(advice));
    }

    @Test
    void withoutABaselineTheAdviceSaysTheCheckWasNotMade() {
        SelectorEvidence e = new SelectorEvidence(balanced(10, 10), taps(0.8, 0.9, 0.95), List.of(),
                OptionalDouble.empty(), OptionalDouble.of(-0.9), RESNET_GROUPS, OptionalDouble.empty());
        Advice advice = StrategySelector.withDefaults().advise(e);
        assertEquals(Strategy.LINEAR_ON_CODES, advice.strategy());
        assertTrue(text(advice).contains("not checked") && text(advice).contains("LEEP of the source head -0.900"),
                text(advice));
    }

    @Test
    void eachAdviceComesWithTheCommandThatCarriesItOut() {
        Advice top = StrategySelector.withDefaults().advise(evidence(balanced(10, 400), taps(0.90, 0.95, 0.97), 0.80));
        assertEquals(List.of("./tl4j fit --data 'my data' --model resnet50-small --strategy fine-tune --tap avgpool"
                        + " --lr-mult stem=0,res2=0,res3=0,res4=0 --optimizer adam --lr 0.001 --out runs/advised"),
                NextCommand.of(top, "my data", "resnet50-small"));
        Advice svm = StrategySelector.withDefaults().advise(evidence(balanced(5, 10), taps(0.80, 0.78, 0.77), 0.60));
        assertEquals(List.of("./tl4j fit --data d --model m --strategy svm --tap res3d --out runs/advised"),
                NextCommand.of(svm, "d", "m"));
        Advice all = StrategySelector.withDefaults().advise(evidence(balanced(5, 1000), taps(0.85, 0.84, 0.80), 0.70));
        assertTrue(NextCommand.of(all, "d", "m").get(0).contains("--strategy fine-tune --tap avgpool --discriminative 10"),
                NextCommand.of(all, "d", "m").get(0));
    }
}
