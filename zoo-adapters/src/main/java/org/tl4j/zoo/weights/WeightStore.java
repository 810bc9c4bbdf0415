package org.tl4j.zoo.weights;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.zoo.spec.WeightSource;

/**
 * tl4j's cache of verified weight files. Every file is stored under its own SHA-256, so the cache describes
 * itself and {@link #verifyAll()} needs no index:
 *
 * <pre>
 * ROOT/&lt;sha256&gt;/&lt;file name&gt;     a verified file (the name is the source URI's last segment)
 * ROOT/&lt;sha256&gt;/.verified         size and modification time when it was last fully hashed
 * ROOT/.tmp/                         transfers in progress (same file system, so placing is an atomic rename)
 * ROOT/pins/                         SHA-256s pinned on first download (see {@link Dl4jZooSource})
 * ROOT/converted/                    ONNX-to-DL4J conversions (see {@link ConvertedGraphCache})
 * </pre>
 *
 * <p>Invariant: the cache never holds a file whose bytes differ from its name's SHA-256. Downloads and imports go
 * to a temp file, are hashed while they are written, and are renamed into place only when size and hash match;
 * anything else is deleted before the error is thrown. On use, a file is accepted without rehashing when its size
 * and modification time equal those recorded at its last full verification (rehashing a 100 MB file costs
 * 0.2-0.5 s on a busy 2-core machine, on every run); {@link #verify(WeightSource)} and {@link #verifyAll()} always rehash.
 *
 * <p>Several processes may share one cache: each transfers into its own temp file and the rename is atomic, so
 * the worst case is a file downloaded twice.
 */
public final class WeightStore {

    /** How a user places a file by hand when it cannot be downloaded (printed in error messages). */
    public static final String IMPORT_COMMAND = "./tl4j zoo import FILE --as ";

    static final String VERIFIED_MARKER = ".verified";
    private static final String TEMP_DIR = ".tmp";
    /** Temp files older than this belong to a process that died; {@link #verifyAll()} removes them. */
    private static final Duration STALE_TEMP = Duration.ofHours(6);
    private static final Logger LOG = LoggerFactory.getLogger(WeightStore.class);

    private final Path root;
    private final Downloader downloader;

    /**
     * @param root       the cache directory (created when first needed), e.g. {@link WeightSettings#cacheDir()}
     * @param downloader how to transfer files
     */
    public WeightStore(Path root, Downloader downloader) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /** A store at the settings' cache directory using the settings' time-outs and retries. */
    public static WeightStore open(WeightSettings settings) {
        return new WeightStore(settings.cacheDir(), new Downloader(settings.download(), new LoggingProgress()));
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /** Where {@code source}'s file is (or would be) cached. */
    public Path pathFor(WeightSource source) {
        return entryFile(source.sha256(), source.fileName());
    }

    /** {@link #fetch(WeightSource, String)} with {@code ID} as the placeholder in the import hint. */
    public CachedWeights fetch(WeightSource source) throws IOException {
        return fetch(source, "ID");
    }

    /**
     * The verified cached file for {@code source}, downloading it first when it is absent (or was found corrupt
     * and removed).
     *
     * @param importId the model id to show in {@code ./tl4j zoo import FILE --as ID} when the download fails
     * @throws WeightUnavailableException when it is not cached and cannot be downloaded
     * @throws WeightMismatchException    when the downloaded bytes are not the expected ones (nothing is kept)
     */
    public CachedWeights fetch(WeightSource source, String importId) throws IOException {
        Optional<CachedWeights> hit = cached(source.sha256(), source.fileName(), source.sizeBytes());
        if (hit.isPresent()) {
            return hit.get();
        }
        return download(source.uri(), source.fileName(), Expected.of(source), pathFor(source), importId,
                "Nothing was cached. Check the URL, or import a good copy with: " + IMPORT_COMMAND + importId);
    }

    /** The cached file for {@code source} if present and intact, without downloading. */
    public Optional<CachedWeights> cached(WeightSource source) throws IOException {
        return cached(source.sha256(), source.fileName(), source.sizeBytes());
    }

    /**
     * Rehashes {@code source}'s cached file.
     *
     * @throws WeightsException        when it is not cached
     * @throws WeightMismatchException when its bytes are wrong (the entry is removed first)
     */
    public CachedWeights verify(WeightSource source) throws IOException {
        Path file = pathFor(source);
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("Not in the cache: " + file + " (weights from " + source.uri()
                    + "); download them by using the model, or place a copy with " + IMPORT_COMMAND + "ID");
        }
        Digests actual = Digests.of(file);
        try {
            Expected.of(source).check(actual, "Cached file " + file, "It was removed; the next use downloads it again.");
        } catch (WeightMismatchException e) {
            removeEntry(file.getParent());
            throw e;
        }
        writeMarker(file);
        return new CachedWeights(file, actual.sha256(), actual.sizeBytes());
    }

    /**
     * Copies a local file into the cache after checking it is {@code expected}'s file (size and SHA-256). The
     * original is left where it is.
     *
     * @throws WeightsException        when {@code file} does not exist
     * @throws WeightMismatchException when it is not the expected file (nothing is cached)
     */
    public CachedWeights importFile(Path file, WeightSource expected) throws IOException {
        return importFile(file, expected.fileName(), Expected.of(expected), expected.uri());
    }

    /**
     * Rehashes every cached file, removes those whose bytes differ from their name's SHA-256 (and partial
     * downloads left by processes that died), and reports what it found.
     */
    public VerifyReport verifyAll() throws IOException {
        List<CachedWeights> good = new ArrayList<>();
        List<VerifyReport.BadEntry> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new VerifyReport(good, removed);
        }
        for (Path entry : sortedChildren(root)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry) && Sha256.isHex(name)) {
                verifyEntry(entry, name, good, removed);
            }
        }
        removeStaleTempFiles(removed);
        return new VerifyReport(good, removed);
    }

    // ---- primitives shared with Dl4jZooSource and ConvertedGraphCache ----

    /**
     * The cached {@code fileName} under {@code sha256} if present and intact. A present but bad file is removed
     * (with a warning) and reported as absent, so the caller fetches it again.
     */
    Optional<CachedWeights> cached(String sha256, String fileName, long expectedSize) throws IOException {
        Path file = entryFile(sha256, fileName);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long size = Files.size(file);
        if (expectedSize < 0 || size == expectedSize) {
            if (markerMatches(file)) {
                return Optional.of(new CachedWeights(file, sha256, size));
            }
            Digests actual = Digests.of(file);
            if (actual.sha256().equals(sha256)) {
                writeMarker(file);
                return Optional.of(new CachedWeights(file, sha256, size));
            }
            LOG.warn("Removed corrupt cached file {}: SHA-256 expected {}, got {}", file, sha256, actual.sha256());
        } else {
            LOG.warn("Removed corrupt cached file {}: size expected {} bytes, got {}", file, expectedSize, size);
        }
        removeEntry(file.getParent());
        return Optional.empty();
    }

    /** Transfers {@code uri} into a temp file, checks it against {@code expected} and places it. */
    CachedWeights download(URI uri, String fileName, Expected expected, Path destination, String importId,
                           String mismatchFix) throws IOException {
        Path temp = newTempFile(fileName);
        Digests digests;
        try {
            digests = downloader.download(uri, temp);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new WeightUnavailableException("Cannot download " + uri + ": "
                    + Downloader.reason(e, downloader.settings()) + ". tl4j looks for it at " + destination
                    + "; to place a copy by hand: " + IMPORT_COMMAND + importId, e);
        }
        return placeChecked(temp, fileName, digests, expected, "Download of " + uri, mismatchFix);
    }

    /** Copies a local file into a temp file, checks it against {@code expected} and places it. */
    CachedWeights importFile(Path file, String fileName, Expected expected, URI meantFor) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("No such file: " + file + " (give the path of the downloaded weights)");
        }
        Path temp = newTempFile(fileName);
        Digests digests;
        try {
            digests = downloader.download(file.toAbsolutePath().toUri(), temp);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new WeightsException("Cannot read " + file + ": " + Downloader.reason(e, downloader.settings()), e);
        }
        return placeChecked(temp, fileName, digests, expected, file.toString(),
                "Nothing was imported: it is not the file published at " + meantFor);
    }

    /** Places an already checked temp file under its SHA-256 (atomic rename) and records it as verified. */
    CachedWeights place(Path temp, String fileName, Digests digests) throws IOException {
        Path file = entryFile(digests.sha256(), fileName);
        try {
            Files.createDirectories(file.getParent());
            moveAtomically(temp, file);
            writeMarker(file);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new CachedWeights(file, digests.sha256(), digests.sizeBytes());
    }

    /** A new empty temp file in the cache's temp directory; the caller deletes or places it. */
    Path newTempFile(String fileName) throws IOException {
        Path dir = Files.createDirectories(root.resolve(TEMP_DIR));
        return Files.createTempFile(dir, fileName + ".", ".part");
    }

    Downloader downloader() {
        return downloader;
    }

    private CachedWeights placeChecked(Path temp, String fileName, Digests digests, Expected expected,
                                       String what, String fix) throws IOException {
        try {
            expected.check(digests, what, fix);
        } catch (WeightMismatchException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return place(temp, fileName, digests);
    }

    private Path entryFile(String sha256, String fileName) {
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("not a SHA-256: '" + sha256 + "'");
        }
        if (fileName.isEmpty() || fileName.startsWith(".") || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("unsafe cache file name '" + fileName + "'");
        }
        return root.resolve(sha256).resolve(fileName);
    }

    private void verifyEntry(Path entry, String sha256, List<CachedWeights> good,
                             List<VerifyReport.BadEntry> removed) throws IOException {
        List<Path> files = sortedChildren(entry).stream()
                .filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                .toList();
        if (files.size() != 1) {
            removed.add(new VerifyReport.BadEntry(entry, sha256, null,
                    files.isEmpty() ? "empty entry" : "several files in one entry"));
            removeEntry(entry);
            return;
        }
        Path file = files.get(0);
        Digests actual = Digests.of(file);
        if (actual.sha256().equals(sha256)) {
            writeMarker(file);
            good.add(new CachedWeights(file, sha256, actual.sizeBytes()));
        } else {
            removed.add(new VerifyReport.BadEntry(file, sha256, actual.sha256(), "SHA-256 differs"));
            removeEntry(entry);
        }
    }

    private void removeStaleTempFiles(List<VerifyReport.BadEntry> removed) throws IOException {
        Path dir = root.resolve(TEMP_DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        for (Path temp : sortedChildren(dir)) {
            if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                Files.deleteIfExists(temp);
                removed.add(new VerifyReport.BadEntry(temp, null, null, "partial download left by a stopped run"));
            }
        }
    }

    private boolean markerMatches(Path file) throws IOException {
        Path marker = file.resolveSibling(VERIFIED_MARKER);
        try {
            return Files.readString(marker, StandardCharsets.UTF_8).strip().equals(markerText(file));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private void writeMarker(Path file) throws IOException {
        Path marker = file.resolveSibling(VERIFIED_MARKER);
        Path temp = Files.createTempFile(file.getParent(), VERIFIED_MARKER, ".part");
        try {
            Files.writeString(temp, markerText(file) + "\n", StandardCharsets.UTF_8);
            moveAtomically(temp, marker);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String markerText(Path file) throws IOException {
        // Full precision (nanoseconds on ext4): a same-size rewrite is caught unless it lands in the same clock tick.
        return "size=" + Files.size(file) + " mtime=" + Files.getLastModifiedTime(file).toInstant();
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Cannot rename " + from + " to " + to + " atomically; the cache directory must be"
                    + " on one file system", e);
        }
    }

    private static void removeEntry(Path entry) throws IOException {
        try (Stream<Path> walk = Files.walk(entry)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // Another process removed it first: the goal is reached.
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        children.sort(Comparator.naturalOrder());
        return children;
    }
}
