package org.tl4j.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a scan of an image folder found: one {@link Entry} per file (usable or rejected with a reason), the class
 * names (including empty classes), and notes about what was skipped. Immutable; saved as JSON or CSV.
 */
public final class Manifest {

    /** Version of the saved JSON layout. */
    public static final int FORMAT_VERSION = 1;

    /** Whether a file can be used. */
    public enum Status {
        @JsonProperty("ok") OK,
        @JsonProperty("rejected") REJECTED
    }

    /**
     * One file.
     *
     * @param path     relative to the manifest's root, '/'-separated
     * @param label    class name
     * @param split    "train", "val" or "test" when the folder layout fixes it, else null
     * @param bytes    file size
     * @param sha256   SHA-256 of the file's bytes, hex (null when unreadable)
     * @param width    upright width in pixels (0 when rejected)
     * @param height   upright height in pixels (0 when rejected)
     * @param channels channels as stored (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA or CMYK; 0 when rejected)
     * @param status   ok or rejected
     * @param reason   why it was rejected (null when ok)
     */
    @JsonPropertyOrder({"path", "label", "split", "status", "reason", "bytes", "sha256", "width", "height",
            "channels"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String label, String split, long bytes, String sha256, int width, int height,
                        int channels, Status status, String reason) {

        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(status, "status");
        }

        /** A usable image. */
        public static Entry ok(String path, String label, String split, long bytes, String sha256, int width,
                               int height, int channels) {
            return new Entry(path, label, split, bytes, sha256, width, height, channels, Status.OK, null);
        }

        /** A file that cannot be used, and why. */
        public static Entry rejected(String path, String label, String split, long bytes, String sha256,
                                     String reason) {
            return new Entry(path, label, split, bytes, sha256, 0, 0, 0, Status.REJECTED, reason);
        }

        /** Whether the image can be used. */
        public boolean ok() {
            return status == Status.OK;
        }
    }

    private record Stored(int formatVersion, String root, List<String> classes, List<String> notes,
                          List<Entry> entries) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema CSV_SCHEMA = CSV.schemaFor(Entry.class).withHeader();

    private final Path root;
    private final List<String> classes;
    private final List<Entry> entries;
    private final List<String> notes;

    /**
     * @param root    folder the entries' paths are relative to
     * @param classes class names in label-index order (every label of an entry must be one of them)
     * @param entries one per file
     * @param notes   what the scan skipped or noticed, for the user
     */
    public Manifest(Path root, List<String> classes, List<Entry> entries, List<String> notes) {
        this.root = root.toAbsolutePath().normalize();
        this.classes = List.copyOf(classes);
        this.entries = List.copyOf(entries);
        this.notes = List.copyOf(notes);
        for (Entry e : this.entries) {
            if (!this.classes.contains(e.label())) {
                throw new IllegalArgumentException("entry " + e.path() + " has label '" + e.label()
                        + "', not one of the classes " + this.classes);
            }
        }
    }

    /** Folder the entries' paths are relative to. */
    public Path root() {
        return root;
    }

    /** Class names; a label's index in this list is its one-hot position. */
    public List<String> classes() {
        return classes;
    }

    /** Every file, usable or not, sorted by path. */
    public List<Entry> entries() {
        return entries;
    }

    /** What the scan skipped or noticed (hidden files, files outside class folders, ...). */
    public List<String> notes() {
        return notes;
    }

    /** The usable images. */
    public List<Entry> okEntries() {
        return entries.stream().filter(Entry::ok).toList();
    }

    /** The files that cannot be used. */
    public List<Entry> rejected() {
        return entries.stream().filter(e -> !e.ok()).toList();
    }

    /** Usable images per class, in class order (0 for an empty class). */
    public Map<String, Integer> countsPerClass() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        classes.forEach(c -> counts.put(c, 0));
        for (Entry e : entries) {
            if (e.ok()) {
                counts.merge(e.label(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Whether the folder layout (train/, val/, test/) fixes each image's split. */
    public boolean hasPresetSplits() {
        return entries.stream().anyMatch(e -> e.split() != null);
    }

    /** Absolute path of an entry's file. */
    public Path resolve(Entry entry) {
        return root.resolve(entry.path()).normalize();
    }

    /**
     * SHA-256 over the usable images' paths, labels, preset splits and content hashes: equal hashes mean the same
     * data, so saved splits can be reused.
     */
    public String dataHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            entries.stream().filter(Entry::ok).sorted(Comparator.comparing(Entry::path)).forEach(e -> digest.update(
                    (e.path() + '\t' + e.label() + '\t' + e.split() + '\t' + e.sha256() + '\n')
                            .getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * Saves atomically: as CSV when the file name ends in .csv (paths relative to the CSV's folder, so the file is
     * also a valid {@code path,label} input manifest), else as JSON.
     */
    public void save(Path file) throws IOException {
        if (isCsv(file)) {
            Path folder = file.toAbsolutePath().getParent();
            List<Entry> rows = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                String relative = folder.relativize(resolve(e)).toString().replace('\\', '/');
                rows.add(new Entry(relative, e.label(), e.split(), e.bytes(), e.sha256(), e.width(), e.height(),
                        e.channels(), e.status(), e.reason()));
            }
            AtomicFiles.write(file, out -> CSV.writer(CSV_SCHEMA).writeValue(out, rows));
        } else {
            Stored stored = new Stored(FORMAT_VERSION, root.toString(), classes, notes, entries);
            AtomicFiles.write(file, out -> JSON.writeValue(out, stored));
        }
    }

    /** Loads a manifest saved by {@link #save}. */
    public static Manifest load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try {
            if (isCsv(file)) {
                List<Entry> rows;
                try (MappingIterator<Entry> it = CSV.readerFor(Entry.class).with(CSV_SCHEMA)
                        .with(CsvParser.Feature.EMPTY_STRING_AS_NULL).readValues(file.toFile())) {
                    rows = it.readAll();
                }
                TreeSet<String> classes = new TreeSet<>();
                rows.forEach(e -> classes.add(e.label()));
                return new Manifest(file.toAbsolutePath().getParent(), new ArrayList<>(classes), rows, List.of());
            }
            Stored stored = JSON.readValue(file.toFile(), Stored.class);
            if (stored.formatVersion() != FORMAT_VERSION) {
                throw new InvalidInputException(file + ": manifest format version " + stored.formatVersion()
                        + ", this tl4j reads version " + FORMAT_VERSION + ": rescan the folder");
            }
            return new Manifest(Path.of(stored.root()), stored.classes(), stored.entries(),
                    stored.notes() == null ? List.of() : stored.notes());
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException(file + " is not a tl4j manifest (" + e.getMessage().lines().findFirst()
                    .orElse("") + "): rescan the folder to write a new one", e);
        }
    }

    private static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }
}
