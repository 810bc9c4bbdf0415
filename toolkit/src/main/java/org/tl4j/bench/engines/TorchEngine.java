package org.tl4j.bench.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch in a worker process (torch_peer.py, run by Debian's /usr/bin/python3 with python3-torch), driven one
 * request at a time so that its steps interleave with the JVM's engines. Builds torchvision's model of the same
 * name; the torchvision variants of tl4j's adapters are the same networks layer for layer.
 */
final class TorchEngine implements BenchEngine {

    /** Debian's interpreter: the python3 first on PATH may be another one without python3-torch. */
    static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader replies;
    private final JsonNode hello;

    TorchEngine(int threads, long seed, Path workFolder) throws IOException {
        Path script = workFolder.resolve("torch_peer.py");
        try (InputStream in = TorchEngine.class.getResourceAsStream("/org/tl4j/bench/torch_peer.py")) {
            if (in == null) {
                throw new IllegalStateException("torch_peer.py is missing from the tl4j jar; rebuild tl4j");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new IOException(PYTHON + " is not there: install Debian's python3-torch and python3-torchvision"
                    + " (recipes/lib/debian-packages.txt), or leave PyTorch out with --engines tl4j,onnxruntime");
        }
        ProcessBuilder builder = new ProcessBuilder(PYTHON, script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        // The worker idles while the JVM's engines run: spinning OpenMP waiters would take their cores (the
        // notes measured 15x slowdowns with spinning waits on this shared machine). An explicit setting wins.
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        process = builder.start();
        requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ObjectNode req = JSON.createObjectNode().put("cmd", "hello").put("threads", threads).put("seed", seed);
        hello = ask(req);
    }

    /** torch and torchvision versions and the thread count the worker runs with. */
    JsonNode facts() {
        return hello;
    }

    /** Best GFLOP/s of torch.mm on n x n fp32 matrices. */
    double gemmGflops(int n, int reps) throws IOException {
        return ask(JSON.createObjectNode().put("cmd", "gemm").put("n", n).put("reps", reps)).get("gflops").asDouble();
    }

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public boolean supports(Workload workload) {
        return true;
    }

    @Override
    public void prepare(ModelUnderTest model) throws IOException {
        ask(JSON.createObjectNode().put("cmd", "load").put("model", model.name()).put("size", model.size()));
    }

    @Override
    public Timing time(Cell cell, int warmup, int steps) throws IOException {
        JsonNode reply = ask(JSON.createObjectNode().put("cmd", "time").put("model", cell.model())
                .put("workload", cell.workload().wire()).put("batch", cell.batch()).put("warmup", warmup)
                .put("steps", steps));
        List<Double> seconds = new ArrayList<>();
        reply.get("seconds").forEach(s -> seconds.add(s.asDouble()));
        return new Timing(seconds, reply.get("peak_rss_mb").asDouble());
    }

    @Override
    public void release(String model) {
        // The worker keeps its models; they are small next to the JVM's and it exits at the end of the run.
    }

    private JsonNode ask(ObjectNode request) throws IOException {
        requests.write(JSON.writeValueAsString(request));
        requests.newLine();
        requests.flush();
        String line = replies.readLine();
        if (line == null) {
            throw new IOException("the PyTorch worker (" + PYTHON + ") exited during " + request
                    + "; its error is printed above");
        }
        JsonNode reply = JSON.readTree(line);
        if (reply.has("error")) {
            throw new IOException("the PyTorch worker failed on " + request + ": " + reply.get("error").asText());
        }
        return reply;
    }

    @Override
    public void close() {
        try {
            ask(JSON.createObjectNode().put("cmd", "quit"));
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Already gone: nothing to stop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
        }
    }
}
