package org.tl4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tl4j.bench.MachineLoad;
import org.tl4j.bench.ResultFiles;
import org.tl4j.bench.SyntheticJpegs;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tl4j bench fe-end-to-end}: the feature-extractor strategy end to end against computing the same images'
 * codes once, both through the CLI commands a user runs, in this process, one after the other.
 */
@Command(name = "fe-end-to-end",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Wall time of (1) ./tl4j extract --untrained (the codes of every image once) and (2) ./tl4j fit"
                + " --strategy feature-extractor (codes for train/val/test, head training to early stop, test"
                + " evaluation, model and report written) on the same images with the same engine and untrained"
                + " seeded trunk, run one after the other in this process with fresh caches. Prints both, their"
                + " ratio (target under 1.5), where fit's time went and the machine's load; writes results.json"
                + " and results.md.",
                "The model must have no pretrained weights (its architecture is built from --seed): a small"
                        + " adapter, or one of your own in $TL4J_ADAPTERS (e.g. resnet50.imagenet at 112 px with"
                        + " \"weights\": []). Without --data it renders seeded JPEGs in --classes classes."})
final class BenchFeEndToEndCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Adapter id without pretrained weights.")
    String model = "resnet50-small";

    @Option(names = "--data", paramLabel = "DIR", description = "Image folder, one sub-folder per class (default:"
            + " render --images JPEGs into the output folder).")
    Path data;

    @Option(names = "--images", paramLabel = "N", description = "JPEGs to render (without --data).")
    int images = 5000;

    @Option(names = "--classes", paramLabel = "K", description = "Classes of the rendered JPEGs.")
    int classes = 4;

    @Option(names = "--image-size", paramLabel = "WxH", description = "Size of the rendered JPEGs.")
    String imageSize = "256x192";

    @Option(names = "--engine", paramLabel = "auto|nd4j|onnxruntime", description = "Engine of both code passes.")
    String engine = "onnxruntime";

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch (codes and head training).")
    int batch = 32;

    @Option(names = "--lr", paramLabel = "RATE", description = "fit's --lr (default: fit's default). Codes of an"
            + " untrained full-size trunk are large (ResNet-50 at 112 px: L2 norm about 26,000 per image), so the"
            + " head needs a tiny rate there, e.g. 1e-9, or fit's divergence guard gives up.")
    String lr;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the trunk's weights, the splits, the head and"
            + " the rendered images.")
    long seed = 42;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for results.json, results.md, both runs and"
            + " the rendered JPEGs (default: runs/bench-fe-end-to-end/<time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || images < 2 * classes || classes < 2) {
            throw new InvalidInputException("--batch must be positive, --classes at least 2 and --images at least two"
                    + " per class; got " + batch + ", " + classes + ", " + images);
        }
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(model);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        if (adapter.hasWeights()) {
            throw new InvalidInputException("--model " + model + " has pretrained weights, so fit would use them but"
                    + " extract --untrained would not: choose an adapter without weights (e.g. resnet50-small), or"
                    + " add your own with \"weights\": [] in a folder named by $" + AdapterRegistry.USER_ADAPTERS_ENV);
        }
        int[] size = BenchPipelineCommand.parseSize(imageSize);
        Path folder = out != null ? out : Path.of("runs", "bench-fe-end-to-end",
                Instant.now().toString().replace(":", "").replaceAll("\\..*", ""));
        Files.createDirectories(folder);
        PrintWriter w = spec.commandLine().getOut();
        Path root = data;
        if (root == null) {
            root = folder.resolve("jpegs");
            long start = System.nanoTime();
            SyntheticJpegs.write(root, images, classes, size[0], size[1], seed);
            w.printf(Locale.ROOT, "rendered %d JPEGs of %dx%d in %d classes into %s in %.1f s%n", images, size[0],
                    size[1], classes, root, (System.nanoTime() - start) / 1e9);
        }
        w.printf(Locale.ROOT, "bench fe-end-to-end: %s (%dx%d input, untrained, seed %d), data %s, engine %s, batch"
                        + " %d, /proc/loadavg %s%n", adapter.id(), adapter.input().width(), adapter.input().height(),
                seed, root, engine, batch, Files.readString(Path.of("/proc/loadavg")).trim());
        w.flush();
        String s = Long.toString(seed);
        String b = Integer.toString(batch);
        Side codes = time(w, "codes-once", List.of("extract", "--model", adapter.id(), "--untrained", "--seed", s,
                "--data", root.toString(), "--out", folder.resolve("codes.npy").toString(), "--engine", engine,
                "--batch", b, "--feature-cache", folder.resolve("codes-cache").toString()));
        Path run = folder.resolve("fe-run");
        List<String> fitArgs = new ArrayList<>(List.of("fit", "--model", adapter.id(), "--strategy",
                "feature-extractor", "--seed", s, "--data", root.toString(), "--out", run.toString(), "--engine",
                engine, "--batch", b, "--feature-cache", folder.resolve("fe-cache").toString()));
        if (lr != null) {
            fitArgs.addAll(List.of("--lr", lr));
        }
        Side fit = time(w, "fe-end-to-end", fitArgs);
        JsonNode record = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        double featurize = record.path("featureCache").path("seconds").asDouble(Double.NaN);
        int epochs = record.path("stopping").path("epochs").asInt(-1);
        String stopped = record.path("stopping").path("reason").asText("?");
        double trained = record.path("history").isEmpty() ? Double.NaN
                : record.path("history").get(record.path("history").size() - 1).path("seconds").asDouble(Double.NaN);
        double testAccuracy = record.path("test").path("accuracy").asDouble(Double.NaN);

        String md = markdown(adapter, codes, fit, featurize, trained, epochs, stopped, testAccuracy);
        w.print(md);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "fe-end-to-end");
        doc.put("model", adapter.id());
        doc.put("input", adapter.input().width() + "x" + adapter.input().height());
        doc.put("data", root.toString());
        doc.put("engine", engine);
        doc.put("batch", batch);
        List<Map<String, Object>> sides = new ArrayList<>();
        for (Side side : List.of(codes, fit)) {
            sides.add(Map.of("side", side.name(), "command", String.join(" ", side.args()), "seconds", side.seconds(),
                    "load1_start", side.load1Start(), "load1_end", side.load1End(), "other_cores",
                    side.othersCores()));
        }
        doc.put("sides", sides);
        doc.put("ratio", fit.seconds() / codes.seconds());
        doc.put("fit_featurize_seconds", featurize);
        doc.put("fit_head_training_seconds", trained);
        doc.put("fit_epochs", epochs);
        doc.put("fit_stopped_by", stopped);
        doc.put("fit_test_accuracy", testAccuracy);
        ResultFiles.write(folder, doc, md);
        w.printf("results: %s, %s%n", folder.resolve("results.json"), folder.resolve("results.md"));
        w.flush();
        return ExitCodes.OK;
    }

    /** One timed command. */
    private record Side(String name, List<String> args, double seconds, double load1Start, double load1End,
                        double othersCores) {
    }

    /** Runs one tl4j command in this process, its output kept back so the bench's own lines stay readable. */
    private Side time(PrintWriter w, String name, List<String> args) {
        w.printf("%s: ./tl4j %s%n", name, String.join(" ", args));
        w.flush();
        CommandLine cli = Main.newCommandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));
        MachineLoad before = MachineLoad.sample();
        int exit = cli.execute(args.toArray(String[]::new));
        MachineLoad after = MachineLoad.sample();
        if (exit != ExitCodes.OK) {
            throw new IllegalStateException(name + " failed (exit " + exit + "): ./tl4j " + String.join(" ", args)
                    + System.lineSeparator() + text);
        }
        w.print(text.toString().indent(2));
        Side side = new Side(name, args, after.wallSecondsSince(before), before.load1(), after.load1(),
                after.othersCoresSince(before));
        w.printf(Locale.ROOT, "%s: %.1f s; load1 %.2f -> %.2f, other processes %.2f cores%n", name, side.seconds(),
                side.load1Start(), side.load1End(), side.othersCores());
        w.flush();
        return side;
    }

    private String markdown(AdapterSpec adapter, Side codes, Side fit, double featurize, double trained, int epochs,
                            String stopped, double testAccuracy) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%s at %dx%d, untrained seed %d, engine %s, batch %d%n%n", adapter.id(),
                adapter.input().width(), adapter.input().height(), seed, engine, batch));
        s.append("| side | command | seconds | load1 start -> end | other procs' cores |\n|---|---|---:|---:|---:|\n");
        for (Side side : List.of(codes, fit)) {
            s.append(String.format(Locale.ROOT, "| %s | ./tl4j %s | %.1f | %.2f -> %.2f | %.2f |%n",
                    side.name(), side.args().get(0), side.seconds(),
                    side.load1Start(), side.load1End(), side.othersCores()));
        }
        s.append(String.format(Locale.ROOT, "%nfe-end-to-end / codes-once: %.3f (target < 1.5)%n", fit.seconds()
                / codes.seconds()));
        s.append(String.format(Locale.ROOT, "fit's time: featurize train/val/test %.1f s, head training %.1f s (%d"
                        + " epochs, stopped by %s), the rest %.1f s (scan, splits, export, model and report); test"
                        + " accuracy %.4f%n", featurize, trained, epochs, stopped, fit.seconds() - featurize - trained,
                testAccuracy));
        return s.toString();
    }
}
