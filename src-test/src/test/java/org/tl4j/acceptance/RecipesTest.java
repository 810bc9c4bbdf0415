package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.svm.SvmModel;

/**
 * Runs each recipe in recipes/ as a reader would, on a small real folder: OpenCV's digits 0-4 (Debian's
 * opencv-doc), 10 images per class, with the 32 px resnet50-small adapter (seeded random weights where the
 * recipe extracts codes, since the small adapters ship none), and checks what each recipe wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecipesTest {

    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4");

    @TempDir
    static Path dir;

    private Path digits;

    @BeforeAll
    void prepareDigits() {
        Path out = dir.resolve("digits");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--out", out.toString(), "--classes", "0-4",
                "--per-class", "10", "--quiet"), "apt-get install -y opencv-doc");
        digits = out;
        assertEquals(Map.of("0", 10, "1", 10, "2", 10, "3", 10, "4", 10), PreparedFolders.pngsPerClass(digits));
    }

    @Test
    void finetuneImageFolderWritesAModelMetricsAndAReport() throws Exception {
        Path work = dir.resolve("ft");
        String log = runRecipe("finetune-image-folder.sh", Map.of("EPOCHS", "1"), digits.toString(), work.toString());
        Path run = work.resolve("finetune");
        assertTrue(Files.size(run.resolve("model.zip")) > 100_000, log);
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertTrue(metrics.toString().contains("accuracy"), metrics.toString());
        assertTrue(Files.readString(run.resolve("report.html")).contains("<html"), "report.html is HTML");
        assertTrue(log.contains("model " + run.resolve("model.zip")), log);
    }

    @Test
    void cnnCodesWritesOneCodePerImageWithUnitNorm() throws Exception {
        Path work = dir.resolve("codes");
        runRecipe("cnn-codes.sh", Map.of(), digits.toString(), work.toString(), "--untrained");
        Codes codes = CodesFiles.read(work.resolve("codes.npz"));
        assertEquals(50, codes.rows());
        assertEquals(512, codes.dim(), "resnet50-small's pooled penultimate features");
        double norm = 0;
        for (float v : codes.row(7)) {
            norm += v * v;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-3, "--l2 codes have unit norm");
        assertEquals(CLASSES, codes.info().classes());
    }

    @Test
    void svmOnActivationsWritesAModelOverTheFolderClasses() throws Exception {
        Path work = dir.resolve("svm");
        String log = runRecipe("svm-on-activations.sh", Map.of(), digits.toString(), work.toString(), "--untrained");
        SvmModel model = SvmModel.load(work.resolve("svm/svm.zip"));
        assertEquals(CLASSES, model.classes());
        assertTrue(model.c() > 0, log);
        Codes codes = CodesFiles.read(work.resolve("svm/codes.npz"));
        // Refitted on every code: it must at least beat chance on the images it was fitted on.
        assertTrue(model.evaluate(codes).accuracy() > 0.2, log);
    }

    /** Runs bash recipes/NAME ARGS with its own weights/codes cache; returns stdout + stderr, failing on exit != 0. */
    private String runRecipe(String name, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Tl4jProcess.REPO_ROOT.resolve("recipes/" + name).toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("TL4J_CACHE", dir.resolve("cache").toString());
        Process process = builder.start();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish in 600 s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), name + " failed:\n" + output);
        return output;
    }
}
