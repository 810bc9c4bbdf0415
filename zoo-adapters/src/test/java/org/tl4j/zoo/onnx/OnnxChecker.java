package org.tl4j.zoo.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** ONNX's own checker ({@code onnx.checker.check_model(m, full_check=True)}) through Debian's python3-onnx. */
final class OnnxChecker {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/check_onnx.py");

    private OnnxChecker() {
    }

    /** Skips (naming the fix) only when Debian's Python cannot import onnx. */
    static void assumeAvailable() throws IOException, InterruptedException {
        boolean ok = Files.isExecutable(PYTHON);
        if (ok) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx.checker")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(ok, PYTHON + " cannot import onnx: apt-get install python3-onnx");
    }

    /** Checks the files; returns the checker's report, throws AssertionError when any file fails. */
    static String check(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("onnx.checker rejected an exported file:\n" + out);
        }
        return out;
    }
}
