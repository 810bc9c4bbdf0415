package org.tl4j.datasets.digits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tl4j.datasets.ClassSelection;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DatasetManifest;
import org.tl4j.datasets.DebianPackages;
import org.tl4j.datasets.GrayImage;
import org.tl4j.datasets.GrayImages;
import org.tl4j.datasets.ImageFolderWriter;
import org.tl4j.datasets.Parallel;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;
import org.tl4j.datasets.Progress;
import org.tl4j.datasets.Sha256;
import org.tl4j.datasets.StagingDirectory;
import org.tl4j.datasets.StratifiedSampler;

/**
 * OpenCV's handwritten digits ({@code samples/data/digits.png}, shipped by Debian's {@code opencv-doc}) as
 * PNG folders {@code 0..9} of 20x20 cells, or {@code train/} and {@code test/} with a seeded, stratified
 * hold-out.
 */
public final class OpenCvDigits {

    public static final String NAME = "digits";
    public static final String DEBIAN_PACKAGE = "opencv-doc";
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Where opencv-doc puts it (Debian may compress large example files, hence the .gz variant). */
    static final List<Path> KNOWN_LOCATIONS = List.of(
            Path.of("/usr/share/doc/opencv-doc/examples/data/digits.png"),
            Path.of("/usr/share/doc/opencv-doc/examples/data/digits.png.gz"));
    /** Searched when the file is not at a known location (other Debian/OpenCV layouts). */
    static final List<Path> SEARCH_ROOTS = List.of(Path.of("/usr/share/doc/opencv-doc"), Path.of("/usr/share/opencv4"),
            Path.of("/usr/share/opencv"));

    private OpenCvDigits() {
    }

    /**
     * Finds {@code digits.png}: the given file, else the opencv-doc package (installed first when permitted).
     */
    public static Path locate(Path sourceFile, boolean installPermitted, Progress progress) {
        if (sourceFile != null) {
            if (!Files.isRegularFile(sourceFile)) {
                throw new DatasetException("--source-file " + sourceFile + " does not exist; point it at OpenCV's digits.png");
            }
            return sourceFile;
        }
        Optional<Path> found = findInstalled();
        if (found.isPresent()) {
            return found.get();
        }
        DebianPackages.install(List.of(DEBIAN_PACKAGE), installPermitted,
                "OpenCV's digits.png is not installed (looked in " + SEARCH_ROOTS + ")",
                ", or give the file with --source-file", progress);
        return findInstalled().orElseThrow(() -> new DatasetException(DEBIAN_PACKAGE + " is installed but holds no"
                + " digits.png under " + SEARCH_ROOTS + "; give the file with --source-file"));
    }

    static Optional<Path> findInstalled() {
        for (Path known : KNOWN_LOCATIONS) {
            if (Files.isRegularFile(known)) {
                return Optional.of(known);
            }
        }
        for (Path root : SEARCH_ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                Optional<Path> hit = files.filter(p -> {
                    String name = p.getFileName().toString();
                    return name.equals("digits.png") || name.equals("digits.png.gz");
                }).sorted().findFirst();
                if (hit.isPresent()) {
                    return hit;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot search " + root + " for digits.png", e);
            }
        }
        return Optional.empty();
    }

    /**
     * Prepares the dataset.
     *
     * @param testFraction hold out this fraction of each digit as {@code test/} ({@code null}: one set of class folders)
     */
    public static PreparedDataset prepare(PrepareOptions options, Path sheetFile, Double testFraction) {
        long start = System.nanoTime();
        ClassSelection selection = ClassSelection.parse(options.classes(), CLASSES);
        GrayImage sheet = GrayImages.read(sheetFile);
        List<DigitSheet.Cell> cells = DigitSheet.cells(sheet, sheetFile.toString()).stream()
                .filter(cell -> selection.contains(cell.digit())).toList();

        Map<DigitSheet.Cell, String> splitOf = new LinkedHashMap<>();
        List<String> splitOrder;
        if (testFraction == null) {
            List<DigitSheet.Cell> kept = options.perClass() == null ? cells
                    : StratifiedSampler.limitPerClass(cells, DigitSheet.Cell::digit, options.perClass(), options.seed());
            kept.forEach(cell -> splitOf.put(cell, ImageFolderWriter.NO_SPLIT));
            splitOrder = List.of(ImageFolderWriter.NO_SPLIT);
        } else {
            // Hold out first, so the test set does not depend on --per-class.
            StratifiedSampler.Split<DigitSheet.Cell> split =
                    StratifiedSampler.holdOut(cells, DigitSheet.Cell::digit, testFraction, options.seed());
            List<DigitSheet.Cell> train = options.perClass() == null ? split.train()
                    : StratifiedSampler.limitPerClass(split.train(), DigitSheet.Cell::digit, options.perClass(), options.seed());
            train.forEach(cell -> splitOf.put(cell, "train"));
            split.heldOut().forEach(cell -> splitOf.put(cell, "test"));
            splitOrder = List.of("train", "test");
        }

        try (StagingDirectory staging = StagingDirectory.begin(options.out())) {
            ImageFolderWriter writer = new ImageFolderWriter(staging.path());
            Parallel.forEach(new ArrayList<>(splitOf.keySet()), options.threads(), options.progress(),
                    NAME + ": images written", cell -> writer.write(splitOf.get(cell), CLASSES.get(cell.digit()),
                            cell.fileName(), cell.image()));
            List<String> classNames = selection.indices().stream().map(CLASSES::get).toList();
            Map<String, Map<String, Integer>> counts = writer.counts(splitOrder, classNames);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("kind", "debian-package");
            source.put("package", DEBIAN_PACKAGE);
            source.put("version", DebianPackages.installedVersion(DEBIAN_PACKAGE).orElse("unknown"));
            source.put("files", List.of(Map.of("path", sheetFile.toAbsolutePath().toString(), "sha256", Sha256.of(sheetFile))));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("classes", String.valueOf(options.classes()));
            settings.put("perClass", String.valueOf(options.perClass()));
            settings.put("testFraction", String.valueOf(testFraction));
            settings.put("seed", options.seed());
            new DatasetManifest(NAME, "OpenCV's handwritten digits: 50 rows x 100 columns of 20x20 cells, 5 rows per"
                    + " digit, 500 per digit; file name rRR-cCCC = row and column on the sheet")
                    .put("licence", "Apache-2.0 / BSD-3-Clause (OpenCV samples)")
                    .put("source", source)
                    .put("classes", classNames)
                    .put("options", settings)
                    .put("image", Map.of("width", DigitSheet.CELL, "height", DigitSheet.CELL, "channels", 1, "format", "png"))
                    .put("counts", counts)
                    .put("seconds", Math.round(seconds * 10) / 10.0)
                    .writeTo(staging.path());
            staging.commit();
            return new PreparedDataset(staging.target(), counts, writer.total(), seconds);
        }
    }
}
