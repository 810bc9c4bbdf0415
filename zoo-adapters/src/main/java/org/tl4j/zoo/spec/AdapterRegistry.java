package org.tl4j.zoo.spec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The adapter descriptors there are: one JSON file per adapter, {@code ID.json}, read from the classpath folder
 * {@code adapters/} (those shipped with tl4j) or from a folder.
 *
 * <p>A descriptor may start with {@code "extends": "OTHER_ID"} and give only what differs: objects are merged
 * field by field, anything else (numbers, strings, arrays such as {@code taps}) replaces the parent's value.
 */
public final class AdapterRegistry {

    /** Classpath folder of the descriptors shipped with tl4j. */
    public static final String RESOURCE_FOLDER = "adapters";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static volatile AdapterRegistry builtIn;

    /** id -> where it was read from and its JSON as written (before "extends" is resolved). */
    private final Map<String, Source> sources;
    private final Map<String, AdapterSpec> resolved = new ConcurrentHashMap<>();

    private record Source(String location, ObjectNode json) {
    }

    private AdapterRegistry(Map<String, Source> sources) {
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /** The descriptors shipped in tl4j's {@code adapters/} resource folder (read once, then cached). */
    public static AdapterRegistry builtIn() {
        AdapterRegistry registry = builtIn;
        if (registry == null) {
            synchronized (AdapterRegistry.class) {
                if (builtIn == null) {
                    builtIn = fromClasspath(AdapterRegistry.class.getClassLoader());
                }
                registry = builtIn;
            }
        }
        return registry;
    }

    /** Environment variable naming a folder of the user's own descriptors ({@code ID.json}), added to tl4j's. */
    public static final String USER_ADAPTERS_ENV = "TL4J_ADAPTERS";

    /**
     * The registry the CLI uses: tl4j's descriptors plus the user's own from the folder named by
     * {@value #USER_ADAPTERS_ENV}, if set (theirs may extend tl4j's, e.g. to add a weight source).
     */
    public static AdapterRegistry standard() throws IOException {
        String folder = System.getenv(USER_ADAPTERS_ENV);
        return folder == null || folder.isBlank() ? builtIn() : builtIn().withDirectory(Path.of(folder));
    }

    /** This registry plus the descriptors {@code *.json} in a folder; an id in both is an error. */
    public AdapterRegistry withDirectory(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new AdapterSpecException("adapter folder not found: " + folder + " (give a folder of ID.json files,"
                    + " or unset " + USER_ADAPTERS_ENV + ")");
        }
        Map<String, Source> combined = new TreeMap<>(sources);
        readFolder(folder, combined);
        return new AdapterRegistry(combined);
    }

    /** The descriptors in every {@code adapters/} folder the class loader sees (directories and jars). */
    public static AdapterRegistry fromClasspath(ClassLoader loader) {
        Map<String, Source> sources = new TreeMap<>();
        try {
            Enumeration<URL> folders = loader.getResources(RESOURCE_FOLDER);
            while (folders.hasMoreElements()) {
                URI uri = folders.nextElement().toURI();
                if ("jar".equals(uri.getScheme())) {
                    readJarFolder(uri, sources);
                } else {
                    readFolder(Path.of(uri), sources);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the adapter descriptors on the classpath", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the adapter descriptors on the classpath", e);
        }
        return new AdapterRegistry(sources);
    }

    /** The descriptors {@code *.json} in a folder. */
    public static AdapterRegistry fromDirectory(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new AdapterSpecException("adapter folder not found: " + folder + " (give a folder of ID.json files)");
        }
        Map<String, Source> sources = new TreeMap<>();
        readFolder(folder, sources);
        return new AdapterRegistry(sources);
    }

    private static void readJarFolder(URI uri, Map<String, Source> sources) throws IOException {
        FileSystem fs;
        boolean opened = false;
        try {
            fs = FileSystems.newFileSystem(uri, Map.of());
            opened = true;
        } catch (FileSystemAlreadyExistsException e) {
            fs = FileSystems.getFileSystem(uri);
        }
        try {
            String entry = uri.getSchemeSpecificPart();
            readFolder(fs.getPath(entry.substring(entry.indexOf("!/") + 1)), sources);
        } finally {
            if (opened) {
                fs.close();
            }
        }
    }

    private static void readFolder(Path folder, Map<String, Source> sources) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".json".length());
            String location = file.toUri().toString();
            JsonNode json;
            try {
                json = MAPPER.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new AdapterSpecException("adapter descriptor " + location + " is not valid JSON: "
                        + e.getMessage() + " (fix the file)", e);
            }
            if (!(json instanceof ObjectNode object)) {
                throw new AdapterSpecException("adapter descriptor " + location + " must hold one JSON object");
            }
            JsonNode declared = object.get("id");
            if (declared != null && !declared.asText().equals(id)) {
                throw new AdapterSpecException("adapter descriptor " + location + " says id '" + declared.asText()
                        + "' but its file name says '" + id + "' (make them agree)");
            }
            Source previous = sources.putIfAbsent(id, new Source(location, object));
            if (previous != null) {
                throw new AdapterSpecException("adapter '" + id + "' is described twice: " + previous.location()
                        + " and " + location + " (remove one)");
            }
        }
    }

    /** Every adapter id, sorted. */
    public List<String> ids() {
        return List.copyOf(sources.keySet());
    }

    /** Whether there is a descriptor with this id. */
    public boolean contains(String id) {
        return sources.containsKey(id);
    }

    /**
     * The adapter with this id.
     *
     * @throws UnknownAdapterException  when there is none; its message lists the known ids
     * @throws AdapterSpecException     when its descriptor (or one it extends) is malformed
     */
    public AdapterSpec get(String id) {
        if (!sources.containsKey(id)) {
            throw new UnknownAdapterException(id, ids());
        }
        return resolved.computeIfAbsent(id, this::load);
    }

    /** Every adapter, in id order. */
    public List<AdapterSpec> all() {
        List<AdapterSpec> all = new ArrayList<>();
        for (String id : ids()) {
            all.add(get(id));
        }
        return all;
    }

    private AdapterSpec load(String id) {
        Source source = sources.get(id);
        ObjectNode merged = resolve(id, new LinkedHashSet<>());
        merged.put("id", id);
        try {
            return MAPPER.treeToValue(merged, AdapterSpec.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AdapterSpecException("adapter descriptor " + source.location() + " is not a valid adapter: "
                    + rootMessage(e) + " (fix the file)", e);
        }
    }

    /** The descriptor with its "extends" chain merged in, parents first. */
    private ObjectNode resolve(String id, Set<String> chain) {
        Source source = sources.get(id);
        if (!chain.add(id)) {
            throw new AdapterSpecException("adapter descriptors extend each other in a cycle: "
                    + String.join(" -> ", chain) + " -> " + id + " (remove one \"extends\")");
        }
        ObjectNode own = source.json().deepCopy();
        JsonNode parentId = own.remove("extends");
        if (parentId == null || parentId.isNull()) {
            return own;
        }
        if (!sources.containsKey(parentId.asText())) {
            throw new AdapterSpecException("adapter descriptor " + source.location() + " extends unknown adapter '"
                    + parentId.asText() + "'; known adapters: " + String.join(", ", ids()));
        }
        ObjectNode base = resolve(parentId.asText(), chain);
        base.remove("id");
        merge(base, own);
        return base;
    }

    /** Overlays {@code override} on {@code base}: objects merge field by field, other values replace. */
    static void merge(ObjectNode base, ObjectNode override) {
        for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode overrideObject) {
                merge(currentObject, overrideObject);
            } else {
                base.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replace('\n', ' ');
    }
}
