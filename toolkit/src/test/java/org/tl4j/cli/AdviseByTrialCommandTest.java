package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tl4j advise --advise-by-trial} on real handwritten digits (OpenCV's sheet from Debian's opencv-doc, 10 per
 * class, a fifth held out as test/) with the shipped glyph-pretrained ResNet: the trials run and decide.
 */
class AdviseByTrialCommandTest {

    private static final Path SHEET = Path.of("/usr/share/doc/opencv-doc/examples/data/digits.png");

    @TempDir
    Path dir;

    private Path digits() {
        assertTrue(Files.isRegularFile(SHEET), "apt-get install -y opencv-doc");
        Path data = dir.resolve("digits");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--per-class", "10", "--test-fraction", "0.2",
                "--out", data.toString(), "--quiet"));
        return data;
    }

    @Test
    void fitAutoByTrialCarriesOutTheWinnerAndRecordsTheTrialsInRunJson() throws Exception {
        Path data = digits();
        Path run = dir.resolve("run");
        String[] r = CapturedRun.run("fit", "--data", data.toString(), "--model", "resnet-small.glyphs", "--strategy",
                "auto", "--advise-by-trial", "--trial-candidates", "2", "--trial-epochs", "1", "--max-epochs", "1",
                "--out", run.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);
        JsonNode runJson = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        JsonNode trials = runJson.at("/advice/trials");
        assertEquals(2, trials.size(), runJson.at("/advice").toString());
        String chosen = runJson.at("/advice/strategy").asText();
        JsonNode winner = trials.get(0).get("strategy").asText().equals(chosen) ? trials.get(0) : trials.get(1);
        JsonNode loser = winner == trials.get(0) ? trials.get(1) : trials.get(0);
        assertEquals(chosen, winner.get("strategy").asText());
        assertTrue(winner.get("validationAccuracy").asDouble() >= loser.get("validationAccuracy").asDouble(),
                trials.toString());
        JsonNode advice = new ObjectMapper().readTree(run.resolve("advice.json").toFile());
        assertEquals(trials, advice.at("/advice/trials"));
        assertTrue(r[1].contains("carrying it out: fit --strategy"), r[1]);

        String[] refused = CapturedRun.run("fit", "--data", data.toString(), "--model", "resnet-small.glyphs",
                "--strategy", "scratch", "--advise-by-trial", "--out", dir.resolve("no").toString(), "--quiet");
        assertEquals("2", refused[0], refused[1] + refused[2]);
        assertTrue(refused[2].contains("--strategy auto"), refused[2]);
    }

    @Test
    void trialsChooseTheCandidateWithTheBestValidationAccuracyAndRecordEveryTrial() throws Exception {
        Path data = digits();
        Path report = dir.resolve("advice.json");
        String[] r = CapturedRun.run("advise", "--data", data.toString(), "--model", "resnet-small.glyphs",
                "--taps", "res4f,avgpool", "--folds", "3", "--advise-by-trial", "--trial-epochs", "1",
                "--save", report.toString(), "--quiet");
        assertEquals("0", r[0], r[1] + r[2]);

        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        JsonNode trials = json.at("/advice/trials");
        // Three candidates: 3 trials at 1 epoch, the better two at 2 epochs.
        assertEquals(5, trials.size(), trials.toString());
        Set<String> candidates = new HashSet<>();
        int lastRung = 0;
        for (JsonNode t : trials) {
            candidates.add(t.get("strategy").asText());
            lastRung = Math.max(lastRung, t.get("rung").asInt());
            int budget = t.get("budget").asInt();
            assertEquals(1 << t.get("rung").asInt(), budget, "budgets double per rung: " + t);
            assertTrue(t.get("trainImages").asInt() > 0 && t.get("validationImages").asInt() > 0, t.toString());
        }
        assertEquals(3, candidates.size(), trials.toString());
        String chosen = json.at("/advice/strategy").asText();
        assertTrue(candidates.contains(chosen), chosen + " not among " + candidates);
        double best = -1;
        double chosenScore = -1;
        for (JsonNode t : trials) {
            if (t.get("rung").asInt() == lastRung) {
                best = Math.max(best, t.get("validationAccuracy").asDouble());
                if (t.get("strategy").asText().equals(chosen)) {
                    chosenScore = t.get("validationAccuracy").asDouble();
                }
            }
        }
        assertEquals(best, chosenScore, 0.0, "the chosen strategy has the best validation accuracy of the final rung");

        List<String> reasons = new ArrayList<>();
        json.at("/advice/reasons").forEach(n -> reasons.add(n.asText()));
        String text = String.join("\n", reasons);
        assertTrue(text.contains("chosen by trial") && text.contains(String.format(java.util.Locale.ROOT, "%.3f",
                chosenScore)), text);
        assertTrue(r[1].contains("chosen by trial") && r[1].contains("rung 1: "), r[1]);
        // Fewer than 60 training images per class: the trials use every one of them, each in one part.
        assertEquals(json.at("/size/images").asInt(), trials.get(0).get("trainImages").asInt()
                + 2 * trials.get(0).get("validationImages").asInt(), trials.get(0).toString());
    }
}
