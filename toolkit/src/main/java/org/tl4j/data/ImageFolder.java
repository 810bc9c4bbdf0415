package org.tl4j.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.progress.Progress;
import org.tl4j.progress.ProgressTask;

/**
 * Scans labelled images into a {@link Manifest}. Three layouts are read:
 * <ul>
 *   <li>one folder per class: {@code DIR/cat/x.jpg}, {@code DIR/dog/y.png}; deeper folders belong to the
 *       top-level class folder;</li>
 *   <li>splits the user already made: {@code DIR/train/cat/...}, {@code DIR/val/...}, {@code DIR/test/...}
 *       ({@code valid}/{@code validation} also name the validation split; val or test may be missing);</li>
 *   <li>a CSV file {@code path,label} (header optional; paths relative to the CSV's folder).</li>
 * </ul>
 * Every file is read, hashed and decoded once (in parallel) so that the manifest says which images are usable and
 * why the others are not. Hidden files and folders are skipped; symbolic links are followed, loops are reported.
 */
public final class ImageFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);
    private static final int MAX_REJECTION_LOG_LINES = 50;
    static final String UNDECODABLE_NAME = "file name is not valid in the system's character set (shown with"
            + " U+FFFD): Java cannot open it; rename it, or run with a UTF-8 locale (LC_ALL=C.UTF-8)";
    private static final Map<String, String> SPLIT_FOLDERS = Map.of(
            "train", "train", "val", "val", "valid", "val", "validation", "val", "test", "test");

    private ImageFolder() {
    }

    /** Scans with {@link ScanOptions#defaults()}. */
    public static Manifest scan(Path data) throws IOException {
        return scan(data, ScanOptions.defaults());
    }

    /**
     * Scans a folder of class folders, a train/val/test layout, or a CSV file.
     *
     * @throws InvalidInputException when the path is missing or holds no class folders
     */
    public static Manifest scan(Path data, ScanOptions options) throws IOException {
        if (!Files.exists(data)) {
            throw new InvalidInputException("data not found: " + data
                    + " (give a folder with one subfolder per class, or a CSV file with path,label)");
        }
        Listing listing;
        if (Files.isDirectory(data)) {
            listing = listFolder(data.toAbsolutePath().normalize());
        } else if (data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            listing = listCsv(data.toAbsolutePath().normalize());
        } else {
            throw new InvalidInputException(data + " is neither a folder nor a .csv file: give a folder with one "
                    + "subfolder per class, or a CSV file with path,label");
        }
        List<Manifest.Entry> entries = inspectAll(listing, options);
        entries.sort(Comparator.comparing(Manifest.Entry::path));
        Manifest manifest = new Manifest(listing.root, listing.classes, entries, listing.notes);
        logSummary(manifest);
        return manifest;
    }

    /** A file to inspect, or one already rejected while listing (then {@code rejection} is set). */
    private record Candidate(String path, String label, String split, String rejection) {
    }

    private static final class Listing {
        final Path root;
        final List<String> classes = new ArrayList<>();
        final List<Candidate> candidates = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int hidden;

        Listing(Path root) {
            this.root = root;
        }
    }

    private static Listing listFolder(Path root) throws IOException {
        Listing listing = new Listing(root);
        List<Path> folders = new ArrayList<>();
        List<String> looseFiles = new ArrayList<>();
        for (Path child : sortedChildren(root)) {
            if (isHidden(child)) {
                listing.hidden++;
            } else if (Files.isDirectory(child)) {
                folders.add(child);
            } else {
                looseFiles.add(child.getFileName().toString());
            }
        }
        noteLooseFiles(listing, root, looseFiles);
        boolean layout = !folders.isEmpty() && folders.stream().allMatch(f -> SPLIT_FOLDERS.containsKey(name(f)))
                && folders.stream().anyMatch(f -> name(f).equals("train"));
        if (layout) {
            TreeSet<String> classes = new TreeSet<>();
            for (Path splitFolder : folders) {
                String split = SPLIT_FOLDERS.get(name(splitFolder));
                List<String> loose = new ArrayList<>();
                for (Path child : sortedChildren(splitFolder)) {
                    if (isHidden(child)) {
                        listing.hidden++;
                    } else if (Files.isDirectory(child)) {
                        String label = child.getFileName().toString();
                        classes.add(label);
                        listClass(listing, child, label, split);
                    } else {
                        loose.add(child.getFileName().toString());
                    }
                }
                noteLooseFiles(listing, splitFolder, loose);
            }
            listing.classes.addAll(classes);
            listing.notes.add("folder layout gives the splits: " + folders.stream()
                    .map(f -> root.relativize(f) + "/").toList());
        } else {
            for (Path folder : folders) {
                String label = folder.getFileName().toString();
                listing.classes.add(label);
                listClass(listing, folder, label, null);
            }
        }
        if (listing.classes.isEmpty()) {
            throw new InvalidInputException("no class folders in " + root + ": expected one subfolder per class ("
                    + root.resolve("cat") + "/*.jpg, ...), train/val/test folders of class folders, or a CSV file"
                    + " with path,label");
        }
        if (listing.hidden > 0) {
            listing.notes.add("skipped " + listing.hidden + " hidden "
                    + (listing.hidden == 1 ? "file or folder" : "files or folders") + " (names starting with '.')");
        }
        return listing;
    }

    private static void noteLooseFiles(Listing listing, Path folder, List<String> files) {
        if (!files.isEmpty()) {
            listing.notes.add(files.size() + (files.size() == 1 ? " file" : " files") + " directly in " + folder
                    + " (in no class folder) skipped, e.g. " + files.get(0));
        }
    }

    /** Lists every file under one class folder, following links; loops and broken links become rejections. */
    private static void listClass(Listing listing, Path classFolder, String label, String split) throws IOException {
        Path root = listing.root;
        Path real = classFolder.toRealPath();
        if (root.toRealPath().startsWith(real)) {
            listing.notes.add("class folder " + classFolder + " is a symbolic link loop (it leads back to "
                    + real + ", which contains the data folder): skipped; remove the link");
            return;
        }
        List<Candidate> found = new ArrayList<>();
        Files.walkFileTree(classFolder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(classFolder) && isHidden(dir)) {
                            listing.hidden++;
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (isHidden(file)) {
                            listing.hidden++;
                        } else if (attrs.isSymbolicLink()) {
                            // With FOLLOW_LINKS, a link still reported as a link points nowhere.
                            found.add(new Candidate(relative(root, file), label, split,
                                    "broken symbolic link (its target does not exist)"));
                        } else if (hasUndecodableName(file)) {
                            found.add(new Candidate(relative(root, file), label, split, UNDECODABLE_NAME));
                        } else if (attrs.isRegularFile()) {
                            found.add(new Candidate(relative(root, file), label, split, null));
                        } else if (attrs.isOther()) {
                            // Reading a named pipe blocks until someone writes to it: never open one.
                            found.add(new Candidate(relative(root, file), label, split,
                                    "not a regular file (a named pipe, socket or device): skipped"));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        String reason = exc instanceof FileSystemLoopException
                                ? "symbolic link loop (leads back to a folder above it): skipped; remove the link"
                                : "cannot read: " + exc;
                        found.add(new Candidate(relative(root, file), label, split, reason));
                        return FileVisitResult.CONTINUE;
                    }
                });
        listing.candidates.addAll(found);
    }

    private static Listing listCsv(Path csv) throws IOException {
        Listing listing = new Listing(csv.getParent());
        List<List<String>> rows;
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(csv.toFile())) {
            rows = it.readAll();
        }
        int pathColumn = 0;
        int labelColumn = 1;
        int splitColumn = -1;
        int first = 0;
        if (!rows.isEmpty() && rows.get(0).stream().anyMatch(h -> h.trim().equalsIgnoreCase("path"))) {
            List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            pathColumn = header.indexOf("path");
            labelColumn = header.indexOf("label");
            splitColumn = header.indexOf("split");
            if (labelColumn < 0) {
                throw new InvalidInputException(csv + ": the header " + rows.get(0) + " has no 'label' column: "
                        + "write the header as path,label");
            }
            first = 1;
        }
        TreeSet<String> classes = new TreeSet<>();
        for (int i = first; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            int needed = Math.max(pathColumn, labelColumn) + 1;
            if (row.size() < needed || row.get(pathColumn).isBlank() || row.get(labelColumn).isBlank()) {
                throw new InvalidInputException(csv + " line " + (i + 1) + ": expected path,label, got " + row
                        + ": fix that line");
            }
            String path = row.get(pathColumn).trim().replace('\\', '/');
            String label = row.get(labelColumn).trim();
            String split = splitColumn >= 0 && splitColumn < row.size() && !row.get(splitColumn).isBlank()
                    ? SPLIT_FOLDERS.get(row.get(splitColumn).trim().toLowerCase(Locale.ROOT)) : null;
            classes.add(label);
            Path file = listing.root.resolve(path);
            listing.candidates.add(new Candidate(path, label, split,
                    Files.exists(file) ? null : "listed in " + csv.getFileName() + " but the file does not exist"));
        }
        if (classes.isEmpty()) {
            throw new InvalidInputException(csv + " lists no images: write one line path,label per image");
        }
        listing.classes.addAll(classes);
        return listing;
    }

    private static List<Manifest.Entry> inspectAll(Listing listing, ScanOptions options) throws IOException {
        List<Candidate> candidates = listing.candidates;
        Manifest.Entry[] results = new Manifest.Entry[candidates.size()];
        ImageDecoder decoder = new ImageDecoder(options.maxPixels());
        String what = "scanning " + listing.root;
        ProgressTask progress = options.progress() ? Progress.start(what, candidates.size())
                : Progress.silent(what, candidates.size());
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            pool.submit(() -> IntStream.range(0, results.length).parallel().forEach(i -> {
                results[i] = inspect(listing.root, candidates.get(i), decoder);
                progress.step();
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("scan of " + listing.root + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("scan of " + listing.root + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            progress.close();
        }
        if (options.progress() && results.length > 0) {
            LOG.info(String.format(Locale.ROOT, "scanned %d files in %.1f s (%.0f/s, %d threads)", results.length,
                    progress.elapsedSeconds(), results.length / Math.max(progress.elapsedSeconds(), 1e-9),
                    options.threads()));
        }
        return new ArrayList<>(List.of(results));
    }

    private static Manifest.Entry inspect(Path root, Candidate c, ImageDecoder decoder) {
        if (c.rejection() != null) {
            return Manifest.Entry.rejected(c.path(), c.label(), c.split(), 0, null, c.rejection());
        }
        Path file = root.resolve(c.path());
        long bytes = 0;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            // readFile below reports it.
        }
        byte[] data;
        try {
            data = ImageDecoder.readFile(file);
        } catch (ImageRejectedException e) {
            return Manifest.Entry.rejected(c.path(), c.label(), c.split(), bytes, null, e.getMessage());
        }
        String sha256 = sha256(data);
        try {
            ImageDecoder.Decoded decoded = decoder.decode(data);
            return Manifest.Entry.ok(c.path(), c.label(), c.split(), bytes, sha256, decoded.image().width(),
                    decoded.image().height(), decoded.sourceChannels());
        } catch (ImageRejectedException e) {
            return Manifest.Entry.rejected(c.path(), c.label(), c.split(), bytes, sha256, e.getMessage());
        }
    }

    private static void logSummary(Manifest manifest) {
        List<Manifest.Entry> rejected = manifest.rejected();
        for (int i = 0; i < Math.min(rejected.size(), MAX_REJECTION_LOG_LINES); i++) {
            Manifest.Entry e = rejected.get(i);
            LOG.warn("rejected {}: {}", manifest.resolve(e), e.reason());
        }
        if (rejected.size() > MAX_REJECTION_LOG_LINES) {
            LOG.warn("... and {} more rejected files (tl4j inspect --json lists them all)",
                    rejected.size() - MAX_REJECTION_LOG_LINES);
        }
        manifest.countsPerClass().forEach((label, count) -> {
            if (count == 0) {
                LOG.warn("class '{}' has no usable images", label);
            }
        });
        if (manifest.classes().size() == 1) {
            LOG.warn("only one class ('{}') in {}: a classifier needs at least two class folders",
                    manifest.classes().get(0), manifest.root());
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static List<Path> sortedChildren(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        }
    }

    /**
     * Java decodes file names with the locale's charset ({@code sun.jnu.encoding}); bytes that do not decode
     * become U+FFFD, and the resulting name no longer leads back to the file, so such a file cannot be opened.
     */
    private static boolean hasUndecodableName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().indexOf('\uFFFD') >= 0;
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String name(Path folder) {
        return folder.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
