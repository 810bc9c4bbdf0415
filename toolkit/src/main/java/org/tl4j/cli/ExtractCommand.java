package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.codes.CodesFormat;
import org.tl4j.codes.Pooling;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.infer.CodesEngines;
import org.tl4j.infer.EngineSelection;
import org.tl4j.infer.InferenceEngine;
import org.tl4j.train.FeatureCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j extract}: CNN codes of an image folder at a tap, written as NPZ, CSV or tl4j's binary format. */
@Command(name = "extract",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Extract CNN codes: each image's activation at a tap of a pretrained network, pooled over"
                + " height and width for convolutional taps, optionally signed-square-rooted and L2-normalised."
                + " Codes are cached (with the featurize cache's keys) and reused when nothing changed.",
                "Formats: npy = one numpy .npz (codes float32 [N,D], labels int32 [N], classes, paths, meta JSON;"
                        + " np.load(FILE)), csv = header path,label,c0..c(D-1), bin = tl4j's feature file plus"
                        + " FILE.paths.txt."})
final class ExtractCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private CodesModelOptions modelOptions;

    @Mixin
    private EngineOptions engineOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--tap", paramLabel = "NAME", description = "Tap (./tl4j zoo info ID) or layer name (default:"
            + " the adapter's default tap).")
    String tap;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest.")
    Path data;

    @Option(names = "--part", paramLabel = "PART", description = "Only this part (train, val or test) of a folder"
            + " with a train/val/test layout (default: every usable image).")
    String part;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Codes file to write.")
    Path out;

    @Option(names = "--format", paramLabel = "npy|csv|bin", description = "File format (default: from --out's"
            + " extension, .npz/.npy, .csv or .bin).")
    String format;

    @Option(names = "--pooling", paramLabel = "avg|max|avg+max", description = "Pooling of convolutional taps.")
    String pooling = "avg";

    @Option(names = "--l2", description = "Scale each code to unit L2 norm.")
    boolean l2;

    @Option(names = "--sqrt", description = "Signed square root of each value (before --l2).")
    boolean sqrt;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = CnnCodes.DEFAULT_BATCH;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Codes cache folder (default:"
            + " $TL4J_CACHE/features, else ~/.cache/tl4j/features).")
    Path cacheFolder;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch " + batch + ": use a positive number of images per batch,"
                    + " e.g. --batch " + CnnCodes.DEFAULT_BATCH);
        }
        CodesFormat fmt = format != null ? CodesFormat.parse(format) : CodesFormat.of(out);
        Pooling pool = Pooling.parse(pooling);
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(!common.quiet()));
        List<Manifest.Entry> entries = manifest.okEntries();
        if (part != null) {
            String p = part.toLowerCase(Locale.ROOT);
            if (!List.of("train", "val", "test").contains(p)) {
                throw new InvalidInputException("--part must be train, val or test, got '" + part + "'");
            }
            if (!manifest.hasPresetSplits()) {
                throw new InvalidInputException(data + " has no train/val/test folders: drop --part, or prepare the"
                        + " folder with ./tl4j datasets prepare");
            }
            entries = entries.stream().filter(e -> p.equals(e.split())).toList();
        }
        CnnCodes extractor = modelOptions.codes().tap(tap != null ? tap : modelOptionsDefaultTap())
                .pooling(pool).l2Normalize(l2).signedSqrt(sqrt).batchSize(batch).progress(!common.quiet())
                .cacheFolder(cacheFolder != null ? cacheFolder : FeatureCache.defaultFolder());
        PrintWriter w = spec.commandLine().getOut();
        Codes codes;
        double seconds;
        try (InferenceEngine engine = engineOf(extractor, manifest, entries, w)) {
            // Timed after the engine is open: the figure is the extraction's, not ONNX export and parity check.
            long start = System.nanoTime();
            codes = extractor.extract(manifest, entries);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        CodesFiles.write(codes, out, fmt);
        w.printf(Locale.ROOT, "%d x %d codes (%s) in %.1f s, %.1f images/s -> %s (%s)%n", codes.rows(), codes.dim(),
                codes.info().describe(), seconds, codes.rows() / seconds, out, fmt.name().toLowerCase(Locale.ROOT));
        w.flush();
        return ExitCodes.OK;
    }

    /** Opens --engine's choice on the extractor and says which engine runs and why. */
    private InferenceEngine engineOf(CnnCodes extractor, Manifest manifest, List<Manifest.Entry> entries,
                                     PrintWriter w) {
        if (entries.isEmpty()) {
            throw new InvalidInputException(data + " has no usable images to extract codes from");
        }
        EngineSelection selection = CodesEngines.select(extractor, engineOptions.choice(), manifest, entries);
        w.printf(Locale.ROOT, "engine: %s (%s)%n", selection.engine().name(), selection.reason());
        return selection.engine();
    }

    private String modelOptionsDefaultTap() throws java.io.IOException {
        return CnnCodes.adapter(modelOptions.model).defaultTapSpec().name();
    }
}
