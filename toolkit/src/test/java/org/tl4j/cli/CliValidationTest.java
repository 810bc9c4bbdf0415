package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tl4j.progress.Progress;
import org.tl4j.train.HeadSpecification;
import org.tl4j.train.HeadSurgery;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import picocli.CommandLine;

/**
 * Every bad option value or missing input of the commands that write something: exit code 2, exactly one line on
 * stderr naming the problem, and nothing written (the whole temporary folder is listed before and after).
 * {@code {data}} is a tiny two-class image folder ({@code {data3}} three classes), {@code {out}} a path that must
 * still not exist afterwards, {@code {missing}} a folder that does not exist, {@code {model3}} a
 * three-class alexnet-small model zip (seeded, untrained).
 */
class CliValidationTest {

    @TempDir
    static Path shared;
    static Path model3;

    @TempDir
    Path temp;

    @BeforeAll
    static void threeClassModel() throws IOException {
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet-small");
        ComputationGraph graph = HeadSurgery.apply(Architectures.build(spec, 4), spec,
                HeadSpecification.linear(3).withSeed(1)).graph();
        model3 = shared.resolve("model.zip");
        new TrainedModel(graph, new TrainedModel.Metadata(TrainedModel.FORMAT_VERSION, spec.id(), "fine-tune",
                "fc7", TrainedModel.InputDescription.of(spec.input()), List.of("cat", "dog", "owl"),
                HeadSurgery.CLASSIFIER)).save(model3);
    }

    static Stream<Arguments> badInvocations() {
        String fit = "fit --data {data} --model resnet50-small --strategy feature-extractor --out {out}";
        String fine = "fit --data {data} --model resnet50-small --strategy fine-tune --out {out}";
        String lrFind = "lr-find --data {data} --model resnet50-small --strategy feature-extractor --out {out}";
        return Stream.of(
                bad("negative rate", fit + " --lr -1", "-1"),
                bad("zero rate", fit + " --lr 0", "--lr"),
                bad("zero batch", fit + " --batch 0", "--batch"),
                bad("negative epochs", fit + " --max-epochs -3", "--max-epochs"),
                bad("negative eval-every", fit + " --eval-every -1", "--eval-every"),
                bad("negative patience", fit + " --patience -1", "--patience"),
                bad("zero discriminative factor", fine + " --discriminative 0", "--discriminative"),
                bad("negative group multiplier", fine + " --lr-mult head=-1", "-1"),
                bad("seed not a number", fit + " --seed abc", "abc"),
                bad("split over one", fit + " --split 90,20,5", "90,20,5"),
                bad("missing data folder", fit.replace("{data}", "{missing}"), "missing"),
                bad("unknown model", fit.replace("resnet50-small", "no-such-net"), "no-such-net"),
                bad("tap the model lacks", fit + " --tap no-such-tap", "no-such-tap"),
                bad("unknown freeze-to", fine + " --freeze-to no-such-layer", "no-such-layer"),
                bad("weights file missing", fit + " --weights {missing}/model.zip", "model.zip"),
                bad("lr-find zero batch", lrFind + " --batch 0", "--batch"),
                bad("lr-find unknown model", lrFind.replace("resnet50-small", "no-such-net"), "no-such-net"),
                bad("lr-find missing data", lrFind.replace("{data}", "{missing}"), "missing"),
                bad("lr-find tap the model lacks", lrFind + " --tap no-such-tap", "no-such-tap"),
                bad("extract unknown tap",
                        "extract --model resnet50-small --untrained --data {data} --out {out}.npz --tap no-such-tap",
                        "no-such-tap"),
                bad("extract missing folder", "extract --model resnet50-small --data {missing} --out {out}.npz",
                        "missing"),
                bad("extract unknown format",
                        "extract --model resnet50-small --untrained --data {data} --out {out}.npz --format xyz", "xyz"),
                bad("extract zero batch",
                        "extract --model resnet50-small --untrained --data {data} --out {out}.npz --batch 0",
                        "--batch"),
                bad("svm missing codes", "svm --codes {missing}/codes.npy --out {out}", "codes.npy"),
                bad("svm negative C", "svm --codes {missing}/codes.npy --out {out} --c -1", "-1"),
                bad("advise missing folder", "advise --data {missing} --model resnet50-small --save {out}",
                        "missing"),
                bad("advise unknown model", "advise --data {data} --model no-such-net --save {out}", "no-such-net"),
                bad("advise zero folds", "advise --data {data} --model resnet50-small --folds 0 --save {out}",
                        "--folds"),
                bad("predict missing model", "predict --model {missing}/model.zip {data}", "model.zip"),
                bad("predict zero top", "predict --model {model3} --top 0 {data}", "--top"),
                bad("predict zero dense scale", "predict --model {model3} --dense --dense-scale 0 --out {out} {data}",
                        "--dense-scale"),
                bad("eval model for another class count", "eval --model {model3} --data {data}", "3"),
                bad("eval missing model", "eval --model {missing}/model.zip --data {data}", "model.zip"),
                bad("eval zero batch", "eval --model {model3} --data {data3} --batch 0", "--batch"),
                bad("export unknown model", "export --model no-such-net --out {out}.onnx", "no-such-net"),
                bad("export unknown tap",
                        "export --model resnet50-small --untrained --tap no-such-tap --out {out}.onnx",
                        "no-such-tap"),
                bad("split fractions over one", "split --data {data} --out {out} --fractions 90,20,5", "90,20,5"),
                bad("split negative fraction", "split --data {data} --out {out} --fractions -0.1,0.6,0.5",
                        "--fractions"),
                bad("split missing folder", "split --data {missing} --out {out}", "missing"),
                bad("datasets prepare zero per-class", "datasets prepare digits --per-class 0 --out {out}",
                        "--per-class"),
                bad("datasets prepare unknown dataset", "datasets prepare no-such-set --out {out}", "no-such-set"));
    }

    private static Arguments bad(String name, String command, String named) {
        return Arguments.of(name, command, named);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInvocations")
    void exitsTwoWithOneLineAndWritesNothing(String name, String command, String named) throws IOException {
        Path data = folder(temp.resolve("data"), List.of("cat", "dog"));
        Path data3 = folder(temp.resolve("data3"), List.of("cat", "dog", "owl"));
        Path out = temp.resolve("out");
        List<String> args = new ArrayList<>();
        for (String word : command.split(" ")) {
            args.add(word.replace("{data3}", data3.toString()).replace("{data}", data.toString())
                    .replace("{out}", out.toString())
                    .replace("{missing}", temp.resolve("missing").toString()).replace("{model3}", model3.toString()));
        }
        List<String> before = listing(temp);
        CommandLine cli = Main.newCommandLine();
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        Progress.setMode(Progress.Mode.OFF);
        int code = cli.execute(args.toArray(String[]::new));
        String err = stderr.toString();
        assertEquals(2, code, name + ": exit code; stderr: " + err + " stdout: " + stdout);
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), name + ": stderr must be one line: " + err);
        assertTrue(lines.get(0).startsWith("tl4j: error: "), err);
        assertTrue(lines.get(0).contains(named), name + ": the line must name '" + named + "': " + err);
        assertEquals(before, listing(temp), name + ": nothing may be written");
    }

    /** The clean-up of a refused fit only ever removes a run folder that call created, never one the user had. */
    @org.junit.jupiter.api.Test
    void aRefusedFitLeavesAnExistingOutFolderAsItWas() throws IOException {
        Path data = folder(temp.resolve("data"), List.of("cat", "dog"));
        Path out = Files.createDirectories(temp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        int code = Main.run("fit", "--quiet", "--data", data.toString(), "--model", "resnet50-small", "--strategy",
                "feature-extractor", "--tap", "no-such-tap", "--out", out.toString());
        assertEquals(2, code);
        assertEquals(List.of("", "notes.txt"), listing(out));
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Classes of five 16-pixel PNGs: enough for a folder to be valid, too small to train on. */
    private static Path folder(Path root, List<String> classes) throws IOException {
        for (String name : classes) {
            Path dir = Files.createDirectories(root.resolve(name));
            for (int i = 0; i < 5; i++) {
                BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i, i, name.hashCode() & 0xffffff);
                ImageIO.write(image, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }
}
