package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.weights.WeightSettings;

/** The Java route of {@code --advise-by-trial} on real digits, with every image outside the training split gone. */
class AdviceTrialsTest {

    private static final Path SHEET = Path.of("/usr/share/doc/opencv-doc/examples/data/digits.png");

    @TempDir
    Path dir;

    @Test
    void trialsReadOnlyTheTrainingSplit() throws Exception {
        assertTrue(Files.isRegularFile(SHEET), "apt-get install -y opencv-doc");
        Path data = dir.resolve("digits");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--per-class", "10", "--test-fraction", "0.2",
                "--out", data.toString(), "--quiet"));
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(false));
        Splits splits = Splits.of(manifest, Splits.Fractions.DEFAULT, 42);
        List<Manifest.Entry> training = splits.entries(manifest, Splits.Part.TRAIN);
        // The validation and test images are deleted: a trial that read one would fail.
        int deleted = 0;
        for (Splits.Part part : List.of(Splits.Part.VAL, Splits.Part.TEST)) {
            for (Manifest.Entry e : splits.entries(manifest, part)) {
                Files.delete(manifest.resolve(e));
                deleted++;
            }
        }
        assertTrue(deleted >= 1000, "the 1,000 held-out digits and fit's validation images: " + deleted);

        AdapterSpec spec = AdapterRegistry.standard().get("resnet-small.glyphs");
        WeightSettings weights = WeightSettings.fromEnvironment();
        ComputationGraph graph = new AdapterLoader(weights).load(spec).graph();
        Advisor.Report report = new Advisor(new Advisor.Options(List.of("res4f", "avgpool"), 3, 42, 16, 200,
                SelectorThresholds.DEFAULT, EngineChoice.ND4J)).advise(spec, graph, manifest, training);
        Path work = dir.resolve("work");
        AdviceTrials.Outcome outcome = new AdviceTrials(spec, weights, new AdviceTrials.Settings(2, 1, 60,
                EngineChoice.ND4J), 42, 16, false).run(report, graph, manifest, training, work);

        // Two candidates: one rung of two 1-epoch trials, the better one wins (ties to the selector's advice).
        List<Advice.Trial> trials = outcome.advice().trials();
        assertEquals(2, trials.size(), trials.toString());
        assertEquals(report.advice().strategy(), trials.get(0).strategy());
        Advice.Trial won = trials.stream().filter(t -> t.strategy() == outcome.advice().strategy()).findFirst()
                .orElseThrow();
        trials.forEach(t -> assertTrue(won.validationAccuracy() >= t.validationAccuracy(), trials.toString()));
        assertFalse(Files.exists(work), "the trial runs are deleted");
        Set<String> allowed = new HashSet<>(splits.paths(Splits.Part.TRAIN));
        outcome.data().all().forEach(e -> assertTrue(allowed.contains(e.path()), e.path()));
    }
}
