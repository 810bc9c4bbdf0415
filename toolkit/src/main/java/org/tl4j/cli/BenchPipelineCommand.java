package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.tl4j.bench.PipelineBench;
import org.tl4j.bench.SyntheticJpegs;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.infer.OnnxFiles;
import org.tl4j.infer.OnnxRuntimeEngine;
import org.tl4j.zoo.spec.AdapterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j bench pipeline}: CNN codes from JPEG files on disk against the forward pass alone (ONNX Runtime). */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Images/s of CNN codes (seeded random weights, tl4j's ONNX Runtime engine) two ways,"
                + " interleaved over rounds: the forward pass alone on input tensors decoded beforehand, and the"
                + " whole path extract takes from JPEG files on disk (background decoding, resize/crop, normalise,"
                + " engine, pooling, codes cache file). Prints the ratio with the machine's load; writes"
                + " results.json and results.md.",
                "Without --data it renders seeded JPEGs (colour gradients, shapes, mild noise) to decode."})
final class BenchPipelineCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Adapter id; its architecture is built with seeded"
            + " random weights.")
    String model = "resnet50.imagenet";

    @Option(names = "--tap", paramLabel = "NAME", description = "Tap whose output are the codes (default: the"
            + " adapter's default tap).")
    String tap;

    @Option(names = "--data", paramLabel = "DIR", description = "Image folder to read (default: render --images"
            + " JPEGs into the output folder).")
    Path data;

    @Option(names = "--images", paramLabel = "N", description = "JPEGs to render (without --data).")
    int images = 160;

    @Option(names = "--image-size", paramLabel = "WxH", description = "Size of the rendered JPEGs.")
    String imageSize = "500x375";

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = 8;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds; both paths run in each.")
    int rounds = 4;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime intra-op threads (default: cores).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights and the rendered images.")
    long seed = 42;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where the exported ONNX file is kept (default:"
            + " tl4j's ONNX cache).")
    Path cache;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for results.json, results.md and the"
            + " rendered JPEGs (default: runs/bench-pipeline/<time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || rounds < 1 || images < 2) {
            throw new InvalidInputException("--batch and --rounds must be positive and --images at least 2, got "
                    + batch + ", " + rounds + ", " + images);
        }
        int n = threads == null ? OnnxRuntimeEngine.defaultThreads() : threads;
        if (n < 1) {
            throw new InvalidInputException("--threads must be positive, got " + n);
        }
        int[] size = parseSize(imageSize);
        Path folder = out != null ? out : Path.of("runs", "bench-pipeline",
                Instant.now().toString().replace(":", "").replaceAll("\\..*", ""));
        Files.createDirectories(folder);
        PrintWriter w = spec.commandLine().getOut();
        Path root = data;
        if (root == null) {
            root = folder.resolve("jpegs");
            long start = System.nanoTime();
            SyntheticJpegs.write(root, images, 2, size[0], size[1], seed);
            w.printf(Locale.ROOT, "rendered %d JPEGs of %dx%d into %s in %.1f s%n", images, size[0], size[1], root,
                    (System.nanoTime() - start) / 1e9);
        }
        Manifest manifest = ImageFolder.scan(root, ScanOptions.defaults().withProgress(false));
        List<Manifest.Entry> entries = manifest.okEntries();
        if (entries.isEmpty()) {
            throw new InvalidInputException(root + " has no usable images: give --data an image folder");
        }
        AdapterSpec adapter = CnnCodes.adapter(model);
        CnnCodes codes = CnnCodes.untrained(adapter, seed);
        codes.tap(tap != null ? tap : adapter.defaultTap());
        Path onnx = cache == null ? OnnxFiles.defaultCache().dir() : cache;
        Files.createDirectories(onnx);
        w.printf(Locale.ROOT, "bench pipeline: %s (random weights, seed %d), %d images from %s, batch %d, threads %d,"
                        + " /proc/loadavg %s%n", adapter.id(), seed, entries.size(), root, batch, n,
                Files.readString(Path.of("/proc/loadavg")).trim());
        w.flush();
        PipelineBench.Result result = new PipelineBench(codes, manifest, entries,
                new PipelineBench.Settings(batch, rounds, n), onnx, folder.resolve("scratch")).run(w);
        PipelineBench.write(result, folder);
        w.printf("results: %s, %s%n", folder.resolve("results.json"), folder.resolve("results.md"));
        w.flush();
        return ExitCodes.OK;
    }

    /** {@code WxH} in pixels. */
    static int[] parseSize(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int wide = Integer.parseInt(parts[0].strip());
                int high = Integer.parseInt(parts[1].strip());
                if (wide >= 8 && high >= 8) {
                    return new int[] {wide, high};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--image-size '" + text + "': use WIDTHxHEIGHT in pixels, at least 8x8,"
                + " e.g. 500x375");
    }
}
