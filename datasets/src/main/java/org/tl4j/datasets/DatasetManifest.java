package org.tl4j.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dataset.json}, written last into a prepared dataset: where the data came from (source files and their
 * SHA-256, Debian package and version or URL), the options and seed that shaped it, and how many images each
 * split and class holds. Its presence marks the folder as complete.
 */
public final class DatasetManifest {

    /** The manifest's file name inside a prepared dataset folder. */
    public static final String FILE_NAME = "dataset.json";
    /** Bumped when the manifest's meaning changes. */
    public static final String FORMAT = "tl4j-dataset/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public DatasetManifest(String name, String description) {
        fields.put("format", FORMAT);
        fields.put("name", name);
        fields.put("description", description);
        fields.put("created", Instant.now().toString());
    }

    /** Adds or replaces a top-level field (any value Jackson can write: maps, lists, records, numbers). */
    public DatasetManifest put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    /** Writes {@code dataset.json} into {@code folder} (temp file + rename). */
    public Path writeTo(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            Path temp = Files.createTempFile(folder, FILE_NAME, ".tmp");
            JSON.writeValue(temp.toFile(), fields);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a manifest back as plain maps and lists. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path datasetFolder) {
        Path file = datasetFolder.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + " (" + e.getMessage() + "): is " + datasetFolder
                    + " a dataset prepared by tl4j?", e);
        }
    }
}
