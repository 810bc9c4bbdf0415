package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.train.TrainedModel;

/**
 * {@code ./tl4j fit --resume} after a real crash: a fit process is killed with SIGKILL mid-epoch, right after its
 * first checkpoint, then resumed with the same arguments; its model must equal, exactly, the model of the same run
 * never interrupted. Tiny on purpose: resnet50-small from scratch on 3 classes x 6 generated 32 px images (12
 * train), batch 4 (3 updates an epoch), checkpoint every 2 updates, 2 epochs.
 */
class FitResumeKillTest {

    private static final long TIMEOUT_SECONDS = 600;

    @TempDir
    Path temp;

    private List<String> fitArguments(Path data, Path out) {
        return List.of("fit", "--data", data.toString(), "--model", "resnet50-small", "--strategy", "scratch",
                "--optimizer", "adam", "--lr", "0.001", "--batch", "4", "--max-epochs", "2", "--eval-every", "2",
                "--seed", "11", "--out", out.toString());
    }

    @Test
    void aFitKilledAfterItsFirstCheckpointResumesToTheUninterruptedWeights() throws Exception {
        Path data = writeImages(temp.resolve("data"));
        Path straight = temp.resolve("straight");
        Tl4jProcess.Result reference = Tl4jProcess.run(TIMEOUT_SECONDS,
                fitArguments(data, straight).toArray(String[]::new));
        assertEquals(0, reference.exitCode(), reference.stderr());

        Path killed = temp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Tl4jProcess.REPO_ROOT.resolve("tl4j").toString()));
        command.addAll(fitArguments(data, killed));
        Path log = temp.resolve("killed.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Path sidecar = killed.resolve("checkpoints").resolve("checkpoint-0000000002.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.exists(sidecar) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(process.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
        // ./tl4j execs the JVM, so this SIGKILLs the training process itself.
        process.destroyForcibly();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
        assertFalse(Files.exists(killed.resolve("model.zip")), "killed before the end:\n" + Files.readString(log));

        List<String> resume = new ArrayList<>(fitArguments(data, killed));
        resume.add("--resume");
        Tl4jProcess.Result resumed = Tl4jProcess.run(TIMEOUT_SECONDS, resume.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stderr().contains("resuming from"), resumed.stderr());

        INDArray expected = TrainedModel.load(straight.resolve("model.zip")).graph().params();
        INDArray actual = TrainedModel.load(killed.resolve("model.zip")).graph().params();
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), "max abs difference of the weights");
        assertEquals(Files.readString(straight.resolve("metrics.json")), Files.readString(killed.resolve("metrics.json")));
    }

    /** 3 classes (a bright red square, green bar or blue cross on dark seeded noise) x 6 PNGs of 32 x 32. */
    private static Path writeImages(Path root) throws IOException {
        Random random = new Random(5);
        for (String label : List.of("bar", "cross", "square")) {
            Path folder = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < 6; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int r = random.nextInt(60);
                        int g = random.nextInt(60);
                        int b = random.nextInt(60);
                        if (label.equals("square") && x >= 8 && x < 24 && y >= 8 && y < 24) {
                            r = 220;
                        } else if (label.equals("bar") && x >= 12 && x < 20) {
                            g = 220;
                        } else if (label.equals("cross") && (Math.abs(x - 16) < 3 || Math.abs(y - 16) < 3)) {
                            b = 220;
                        }
                        image.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(label + i + ".png").toFile());
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(18, files.filter(Files::isRegularFile).count());
        }
        return root;
    }
}
