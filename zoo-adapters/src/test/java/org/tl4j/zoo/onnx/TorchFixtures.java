package org.tl4j.zoo.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * PyTorch fixtures made by {@code src/test/python/export_torchvision.py} (run with Debian's /usr/bin/python3),
 * cached under {@code ~/.cache/tl4j/fixtures} in a folder keyed by the script's SHA-256, so that editing the
 * script makes new fixtures and nothing stale is reused. Override the cache with {@code -Dtl4j.fixtures=DIR}.
 */
final class TorchFixtures {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/export_torchvision.py");

    private TorchFixtures() {
    }

    /** The fixture folder (one subfolder per model), generating it on first use. */
    static Path small() throws IOException, InterruptedException {
        return ensure(true);
    }

    static Path ensure(boolean small) throws IOException, InterruptedException {
        assumeTorch();
        Path script = SCRIPT.toAbsolutePath();
        String hash = sha256(Files.readAllBytes(script)).substring(0, 16);
        Path root = Path.of(System.getProperty("tl4j.fixtures",
                Path.of(System.getProperty("user.home"), ".cache", "tl4j", "fixtures").toString()));
        Path dir = root.resolve("torchvision-" + (small ? "small-" : "") + hash);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), "--out", dir.toString()));
        if (small) {
            command.add("--small");
        }
        System.out.println("Generating PyTorch fixtures: " + String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONWARNINGS", "ignore"); // torch's exporter warnings are noise here
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("fixture script failed: " + String.join(" ", command));
        }
        return dir;
    }

    /** Skips (with the fix) only when Debian's Python lacks torch, torchvision or onnx. */
    static void assumeTorch() throws IOException, InterruptedException {
        boolean ok = Files.isExecutable(PYTHON);
        if (ok) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision, onnx")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(ok, PYTHON + " cannot import torch, torchvision and onnx: "
                + "apt-get install python3-torch python3-torchvision python3-onnx");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
