package org.tl4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.data.DatasetSummary;
import org.tl4j.data.ImageDecoder;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl4j inspect}: scan an image folder and say what is in it and what is wrong with it. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Scan an image folder (one subfolder per class, train/val/test folders, or a CSV path,label):"
                + " classes, images per class, imbalance, image sizes, rejected files and why.")
final class InspectCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest.")
    Path data;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Option(names = "--save-manifest", paramLabel = "FILE",
            description = "Also save the scan (every file, its hash, size and status) as FILE (.json or .csv).")
    Path saveManifest;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Reject images whose header declares more pixels (decompression bomb guard).")
    long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    @Override
    public Integer call() throws Exception {
        Manifest manifest = ImageFolder.scan(data,
                ScanOptions.defaults().withMaxPixels(maxPixels).withProgress(!common.quiet()));
        if (saveManifest != null) {
            manifest.save(saveManifest);
        }
        DatasetSummary summary = DatasetSummary.of(manifest);
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(summary));
        } else {
            print(summary);
            if (saveManifest != null) {
                System.out.println("manifest saved to " + saveManifest);
            }
        }
        return ExitCodes.OK;
    }

    private static void print(DatasetSummary s) {
        System.out.printf(Locale.ROOT, "data:    %s%n", s.root());
        System.out.printf(Locale.ROOT, "images:  %d usable, %d rejected%n", s.images(), s.rejectedCount());
        System.out.printf(Locale.ROOT, "classes: %d, imbalance (largest/smallest) %s%n", s.classCounts().size(),
                Double.isFinite(s.imbalanceRatio()) ? String.format(Locale.ROOT, "%.2f", s.imbalanceRatio())
                        : "n/a (a class is empty)");
        int width = s.classCounts().keySet().stream().mapToInt(String::length).max().orElse(5);
        s.classCounts().forEach((label, n) -> System.out.printf(Locale.ROOT, "  %-" + width + "s %8d%n", label, n));
        if (!s.sizeHistogram().isEmpty()) {
            System.out.println("sizes (width x height, pixels):");
            s.sizeHistogram().forEach((bucket, n) -> System.out.printf(Locale.ROOT, "  %-20s %8d%n", bucket, n));
        }
        if (!s.rejected().isEmpty()) {
            System.out.println("rejected:");
            for (Map.Entry<String, String> r : s.rejected().entrySet()) {
                System.out.printf(Locale.ROOT, "  %s: %s%n", r.getKey(), r.getValue());
            }
        }
        s.notes().forEach(n -> System.out.println("note: " + n));
        s.warnings().forEach(w -> System.out.println("warning: " + w));
    }
}
