package org.tl4j.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes PNGs into {@code root/split/class/file.png} (or {@code root/class/file.png} when there is no split)
 * and counts what it wrote. Safe to call from several threads.
 */
public final class ImageFolderWriter {

    /** The split name for datasets published as one set (written straight into class folders). */
    public static final String NO_SPLIT = "";

    private final Path root;
    private final Set<Path> createdFolders = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();

    public ImageFolderWriter(Path root) {
        this.root = root;
    }

    /** Writes one image; the file must not exist yet (two images with one name would be a bug). */
    public void write(String split, String className, String fileName, GrayImage image) {
        Path folder = split.isEmpty() ? root.resolve(className) : root.resolve(split).resolve(className);
        Path file = folder.resolve(fileName);
        try {
            if (!createdFolders.contains(folder)) {
                Files.createDirectories(folder);
                createdFolders.add(folder);
            }
            Files.write(file, PngEncoder.encode(image), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        counts.computeIfAbsent(split, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(className, c -> new AtomicInteger()).incrementAndGet();
    }

    /** Images written per split and class, splits and classes in the order given. */
    public Map<String, Map<String, Integer>> counts(List<String> splitOrder, List<String> classOrder) {
        Map<String, Map<String, Integer>> ordered = new LinkedHashMap<>();
        for (String split : splitOrder) {
            Map<String, AtomicInteger> perClass = counts.get(split);
            if (perClass == null) {
                continue;
            }
            Map<String, Integer> row = new LinkedHashMap<>();
            for (String cls : classOrder) {
                AtomicInteger n = perClass.get(cls);
                if (n != null) {
                    row.put(cls, n.get());
                }
            }
            ordered.put(split.isEmpty() ? "all" : split, row);
        }
        return ordered;
    }

    /** Total images written. */
    public int total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToInt(AtomicInteger::get).sum();
    }
}
