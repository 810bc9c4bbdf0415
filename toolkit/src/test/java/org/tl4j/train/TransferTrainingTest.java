package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.Splits;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The trainer end to end on a tiny generated folder (3 classes x 6 images at 32 px: 12 train, 3 val, 3 test) with
 * resnet50-small, a few updates per run.
 */
class TransferTrainingTest {

    private static final String MODEL = "resnet50-small";

    @TempDir
    Path temp;

    private FitOptions.Builder options(Path data, Strategy strategy) {
        return FitOptions.builder(data, MODEL, strategy).batch(4).maxEpochs(2)
                .optimizer(new Optimizer(Optimizer.Method.ADAM, 0, 1e-4)).learningRate(1e-3);
    }

    private TransferTraining training(FitOptions options) {
        return new TransferTraining(options, WeightSettings.fromEnvironment().withCacheDir(temp.resolve("weights")),
                temp.resolve("features")).progress(false);
    }

    @Test
    void scratchRunWritesALoadableModelItsProvenanceAndTestMetrics() throws IOException {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        Path out = temp.resolve("run");
        FitOptions options = options(data, Strategy.SCRATCH).build();
        TransferTraining.FitResult result = training(options).fit(out, false);

        // model.zip: plain DL4J, plus tl4j's metadata
        ComputationGraph plain = ModelSerializer.restoreComputationGraph(out.resolve("model.zip").toFile(), false);
        TrainedModel saved = TrainedModel.load(out.resolve("model.zip"));
        assertEquals(saved.graph().params(), plain.params());
        assertEquals(TrainingFolders.CLASSES, saved.classNames());
        assertEquals(MODEL, saved.metadata().adapterId());
        assertEquals("scratch", saved.metadata().strategy());
        assertEquals(32, saved.input().height());

        // run.json: every evaluation, how it stopped, the settings
        RunRecord run = TransferTraining.readRun(out.resolve("run.json"));
        assertEquals(options, run.settings());
        assertEquals(2, run.history().size(), "one evaluation per epoch");
        assertEquals(List.of(3L, 6L), run.history().stream().map(RunRecord.EvaluationPoint::update).toList());
        assertEquals("max-epochs", run.stopping().reason());
        assertEquals(6, run.stopping().update());
        assertEquals(12, run.splits().train());
        assertEquals("untrained", run.weights().kind());
        assertEquals(1.0, run.plan().groups().stream().mapToDouble(LrPlan.GroupRate::multiplier).max().orElse(0));
        assertEquals(1.0, run.plan().groups().stream().mapToDouble(LrPlan.GroupRate::multiplier).min().orElse(0),
                "scratch trains every group at the same rate");

        // metrics.json: the test split, as the saved model predicts it
        ClassificationMetrics metrics = TransferTraining.readMetrics(out.resolve("metrics.json"));
        assertEquals(3, metrics.images());
        assertEquals(3, java.util.Arrays.stream(metrics.confusion()).flatMapToInt(java.util.Arrays::stream).sum());
        Manifest manifest = ImageFolder.scan(data);
        Splits splits = Splits.load(out.resolve(Splits.FILE_NAME));
        try (ImageFolderIterator test = ImageFolderIterator.inOrder(manifest,
                splits.entries(manifest, Splits.Part.TEST), saved.input(), 4)) {
            ClassificationMetrics again = ClassificationMetrics.evaluate(plain, test, saved.classNames(), "test");
            assertEquals(metrics.accuracy(), again.accuracy());
            assertEquals(metrics.meanLoss(), again.meanLoss(), 1e-9);
        }
        assertEquals(metrics.accuracy(), result.test().accuracy());
        assertFalse(Files.exists(out.resolve("checkpoints")), "checkpoints are removed once the run is written");

        // a second fit into the same folder is refused without --resume
        assertThrows(InvalidInputException.class, () -> training(options).fit(out, false));
        // --resume on a finished run (as after a kill during the final clean-up) reports it without training
        assertEquals(result.test().accuracy(), training(options).fit(out, true).test().accuracy());
    }

    /** Fits into {@code out} and stops the run, as a kill would, right after its first checkpoint of {@code update}. */
    private void interruptAtFirstCheckpointOf(long update, FitOptions options, Path out) {
        class Interrupted extends RuntimeException {
        }
        assertThrows(Interrupted.class, () -> training(options).afterCheckpoint(checkpointed -> {
            if (checkpointed == update) {
                throw new Interrupted();
            }
        }).fit(out, false));
    }

    @Test
    void aRunInterruptedAfterACheckpointAndResumedEndsWithTheUninterruptedWeights() throws IOException {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        FitOptions options = options(data, Strategy.SCRATCH).evalEvery(2).build();
        TransferTraining.FitResult straight = training(options).fit(temp.resolve("straight"), false);

        Path out = temp.resolve("interrupted");
        interruptAtFirstCheckpointOf(2, options, out);
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-0000000002.zip")));
        TransferTraining.FitResult resumed = training(options).fit(out, true);

        INDArray expected = straight.model().graph().params();
        INDArray actual = resumed.model().graph().params();
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), "resumed weights must equal exactly");
        assertEquals(2L, resumed.run().resumedFrom());
        assertEquals(straight.run().stopping(), resumed.run().stopping());
        assertEquals(straight.run().history().stream().map(p -> p.valLoss()).toList(),
                resumed.run().history().stream().map(p -> p.valLoss()).toList());
    }

    @Test
    void aRunKilledBetweenItsTwoFinalCheckpointsStopsAtMaxEpochsOnResume() throws IOException {
        // 6 updates, evaluated at 4 and, in the max-epochs step, at 6: that step checkpoints update 6 twice (after
        // the evaluation, then with the stop reason). A kill between the two left a checkpoint whose epoch count is
        // already the maximum, and resuming from it trained an extra epoch (FitKillResumeTest caught it under load).
        Path data = TrainingFolders.standard(temp.resolve("data"));
        FitOptions options = options(data, Strategy.SCRATCH).evalEvery(4).build();
        TransferTraining.FitResult straight = training(options).fit(temp.resolve("straight"), false);

        Path out = temp.resolve("interrupted");
        interruptAtFirstCheckpointOf(6, options, out);
        TransferTraining.FitResult resumed = training(options).fit(out, true);

        assertEquals(6L, resumed.run().resumedFrom());
        assertEquals(straight.run().stopping(), resumed.run().stopping());
        INDArray expected = straight.model().graph().params();
        assertEquals(0.0, expected.sub(resumed.model().graph().params()).amaxNumber().doubleValue(),
                "resumed weights must equal exactly");
    }

    @Test
    void featureExtractorTrainsOnlyTheHeadFromTheFeatureCache() throws IOException {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        FitOptions options = options(data, Strategy.FEATURE_EXTRACTOR).maxEpochs(3).learningRate(1e-2).build();
        TransferTraining.FitResult result = training(options).fit(temp.resolve("fe"), false);

        // The trunk is the adapter's untrained graph from the run's seed, unchanged; the head moved.
        ComputationGraph initial = Architectures.build(AdapterRegistry.builtIn().get(MODEL), options.seed());
        ComputationGraph trained = result.model().graph();
        assertEquals(initial.getLayer("conv1").params(), trained.getLayer("conv1").params());
        assertEquals(initial.getLayer("res5c_branch2c").params(), trained.getLayer("res5c_branch2c").params());
        HeadSurgery.Result surgery = HeadSurgery.apply(initial, AdapterRegistry.builtIn().get(MODEL),
                HeadSpecification.linear(3).withSeed(options.seed()));
        assertNotEquals(surgery.graph().getLayer(HeadSurgery.CLASSIFIER).params(),
                trained.getLayer(HeadSurgery.CLASSIFIER).params());
        assertTrue(result.run().featureCache().computed());
        try (Stream<Path> files = Files.list(temp.resolve("features"))) {
            assertEquals(3, files.filter(f -> f.toString().endsWith(FeatureCache.EXTENSION)).count(),
                    "train, val and test features are cached");
        }
        // The test metrics come from the head on the test split's cached codes: the saved model, run whole on the
        // test images, predicts the same.
        ClassificationMetrics metrics = TransferTraining.readMetrics(temp.resolve("fe").resolve("metrics.json"));
        assertEquals(3, metrics.images());
        Manifest manifest = ImageFolder.scan(data);
        Splits splits = Splits.load(temp.resolve("fe").resolve(Splits.FILE_NAME));
        try (ImageFolderIterator test = ImageFolderIterator.inOrder(manifest,
                splits.entries(manifest, Splits.Part.TEST), result.model().input(), 4)) {
            ClassificationMetrics whole = ClassificationMetrics.evaluate(trained, test, result.model().classNames(),
                    "test");
            assertEquals(whole.accuracy(), metrics.accuracy());
            assertEquals(whole.meanLoss(), metrics.meanLoss(), 1e-5);
        }
        // ... and records them per image, for the report's gallery of mistakes.
        List<TestPredictions.Prediction> predictions = TestPredictions.read(temp.resolve("fe")
                .resolve(TestPredictions.FILE_NAME));
        assertEquals(splits.entries(manifest, Splits.Part.TEST).stream().map(Manifest.Entry::path).toList(),
                predictions.stream().map(TestPredictions.Prediction::path).toList());
        assertEquals(metrics.accuracy(), predictions.stream().filter(p -> !p.mistaken()).count() / 3.0, 1e-9);
        // A second run with the same data, weights and cut reuses the cache.
        TransferTraining.FitResult again = training(options).fit(temp.resolve("fe2"), false);
        assertFalse(again.run().featureCache().computed());
        assertEquals(0.0, result.model().graph().params().sub(again.model().graph().params()).amaxNumber()
                .doubleValue(), "same seed, same cache: same head");
    }

    @Test
    void dryRunDescribesTheSettingsAndPlanAndWritesNothing() throws IOException {
        Path data = TrainingFolders.standard(temp.resolve("data"));
        FitOptions options = FitOptions.builder(data, MODEL, Strategy.FINE_TUNE).freezeTo("res3")
                .lrMult("head=10,res5=1").build();
        String text = training(options).describe();
        assertTrue(text.contains("GROUP"), text);
        assertTrue(text.matches("(?s).*res3\\s+0\\.000\\s+frozen.*"), text);
        assertTrue(text.matches("(?s).*head\\s+10\\.00\\s+0\\.100.*"), text);
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(List.of(temp.resolve("data")), files.toList(), "a dry run writes no file");
        }
    }

    @Test
    void settingsThatContradictTheStrategyAreRefusedWithTheFix() {
        Path data = temp.resolve("data");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FitOptions.builder(data, MODEL, Strategy.SCRATCH).lrMult("head=10").build());
        assertTrue(e.getMessage().contains("--lr-mult"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> FitOptions.builder(data, MODEL, Strategy.FEATURE_EXTRACTOR).freezeTo("res3").build());
        assertThrows(InvalidInputException.class, () -> Strategy.parse("finetune"));
    }
}
