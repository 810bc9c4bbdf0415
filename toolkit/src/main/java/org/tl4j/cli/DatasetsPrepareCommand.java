package org.tl4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.datasets.CacheFolder;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DebianPackages;
import org.tl4j.datasets.Parallel;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;
import org.tl4j.datasets.Progress;
import org.tl4j.datasets.Seeds;
import org.tl4j.datasets.digits.OpenCvDigits;
import org.tl4j.datasets.fashion.FashionMnist;
import org.tl4j.datasets.fashion.FashionMnistSource;
import org.tl4j.datasets.glyphs.FontFiles;
import org.tl4j.datasets.glyphs.GlyphOptions;
import org.tl4j.datasets.glyphs.Glyphs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl4j datasets prepare NAME --out DIR}: writes a real dataset as PNG class folders plus dataset.json. */
@Command(name = "prepare",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
                "Write a real dataset as PNG class folders plus dataset.json (its provenance).",
                "  fashion-mnist  Debian dataset-fashion-mnist: train/, test/; 28x28",
                "  digits         OpenCV digits.png (opencv-doc): 10 x 500; 20x20",
                "  glyphs         0-9 A-Z a-z from installed fonts: train/, val/; 28x28",
                "DIR is written as DIR.tmp-* and renamed when complete."})
final class DatasetsPrepareCommand implements Callable<Integer> {

    enum Name {
        FASHION_MNIST("fashion-mnist"), DIGITS("digits"), GLYPHS("glyphs");

        private final String cliName;

        Name(String cliName) {
            this.cliName = cliName;
        }

        @Override
        public String toString() {
            return cliName;
        }

        static Name parse(String text) {
            for (Name name : values()) {
                if (name.cliName.equalsIgnoreCase(text)) {
                    return name;
                }
            }
            throw new DatasetException("unknown dataset '" + text + "': choose fashion-mnist, digits or glyphs");
        }
    }

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "fashion-mnist, digits or glyphs")
    private String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist or be empty).")
    private Path out;

    @Option(names = "--classes", paramLabel = "LIST", description = "Keep only these classes: indices, ranges and names, e.g. 5-9 or 0,2,4.")
    private String classes;

    @Option(names = "--per-class", paramLabel = "N", description = "At most N training images per class (seeded, stratified); test/val stay whole.")
    private Integer perClass;

    @Option(names = "--seed", description = "Seed for sampling, hold-out and augmentation.")
    private long seed = Seeds.DEFAULT_SEED;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    private int threads = Parallel.defaultThreads();

    @Option(names = "--install-packages", description = "Allow tl4j to apt-get install missing Debian packages (needs root; "
            + "or set TL4J_INSTALL_PACKAGES=1).")
    private boolean installPackages;

    @Option(names = "--download", description = "fashion-mnist: if the Debian package is missing, download from the upstream URLs (checksums verified).")
    private boolean download;

    @Option(names = "--source-dir", paramLabel = "DIR", description = "fashion-mnist: read the four IDX files from this folder instead.")
    private Path sourceDir;

    @Option(names = "--source-file", paramLabel = "FILE", description = "digits: read this digits.png (or .png.gz) instead.")
    private Path sourceFile;

    @Option(names = "--test-fraction", paramLabel = "F", description = "digits: hold out this fraction of each class as test/ (e.g. 0.2).")
    private Double testFraction;

    @Option(names = "--per-font", paramLabel = "N", description = "glyphs: augmented images per character and font.")
    private int perFont = 1;

    @Option(names = "--max-fonts", paramLabel = "N", description = "glyphs: use only N passing fonts (seeded pick), for quick runs.")
    private Integer maxFonts;

    @Option(names = "--val-families", paramLabel = "F", description = "glyphs: fraction of font families held out as val/.")
    private double valFamilies = GlyphOptions.DEFAULT_VAL_FAMILIES;

    @Option(names = "--fonts-dir", paramLabel = "DIR", description = "glyphs: folder to scan for .ttf/.otf files.")
    private Path fontsDir = FontFiles.DEBIAN_FONTS;

    @Override
    public Integer call() {
        Name dataset = Name.parse(name);
        Progress progress = common.quiet() ? Progress.SILENT : message -> System.err.println("tl4j: " + message);
        PrepareOptions options = new PrepareOptions(out, classes, perClass, seed, threads,
                DebianPackages.installPermitted(installPackages), progress);
        PreparedDataset result = switch (dataset) {
            case FASHION_MNIST -> {
                only(dataset, "--source-file", sourceFile == null, "--test-fraction", testFraction == null);
                onlyGlyphs(dataset);
                FashionMnistSource source = FashionMnistSource.locate(sourceDir, options.installPackages(), download,
                        CacheFolder.forDataset(FashionMnist.NAME), progress);
                yield FashionMnist.prepare(options, source);
            }
            case DIGITS -> {
                only(dataset, "--source-dir", sourceDir == null, "--download", !download);
                onlyGlyphs(dataset);
                yield OpenCvDigits.prepare(options, OpenCvDigits.locate(sourceFile, options.installPackages(), progress),
                        testFraction);
            }
            case GLYPHS -> {
                only(dataset, "--source-dir", sourceDir == null, "--download", !download);
                only(dataset, "--source-file", sourceFile == null, "--test-fraction", testFraction == null);
                yield Glyphs.prepare(options, new GlyphOptions(fontsDir, perFont, maxFonts, valFamilies));
            }
        };
        print(result);
        return ExitCodes.OK;
    }

    /** Rejects options that belong to another dataset, instead of ignoring them. */
    private static void only(Name dataset, String option1, boolean absent1, String option2, boolean absent2) {
        if (!absent1) {
            throw new DatasetException(option1 + " does not apply to " + dataset + "; see: tl4j datasets prepare --help");
        }
        if (!absent2) {
            throw new DatasetException(option2 + " does not apply to " + dataset + "; see: tl4j datasets prepare --help");
        }
    }

    private void onlyGlyphs(Name dataset) {
        only(dataset, "--per-font", perFont == 1, "--max-fonts", maxFonts == null);
        only(dataset, "--val-families", valFamilies == GlyphOptions.DEFAULT_VAL_FAMILIES,
                "--fonts-dir", fontsDir.equals(FontFiles.DEBIAN_FONTS));
    }

    private static void print(PreparedDataset result) {
        System.out.printf("wrote %,d images to %s in %.1f s%n", result.images(), result.folder(), result.seconds());
        for (Map.Entry<String, Map<String, Integer>> split : result.counts().entrySet()) {
            Map<String, Integer> perClass = split.getValue();
            int total = perClass.values().stream().mapToInt(Integer::intValue).sum();
            int min = perClass.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int max = perClass.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            System.out.printf("  %-5s %,7d images, %d classes, %d-%d per class%n", split.getKey(), total, perClass.size(), min, max);
        }
    }
}
