package org.tl4j.zoo.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.zoo.arch.LayerHelpers;

/**
 * The one way tl4j reads a DL4J model zip. DL4J 1.0.0-M2.1's {@code ModelSerializer.restoreComputationGraph}
 * reads every entry of the zip into memory ({@code loadZipData}, no bound but 2 GiB per entry) and deserialises
 * {@code preprocessor.bin} with a plain {@link ObjectInputStream} (upstream issue 10428), which lets a hostile
 * file run code; {@code restoreNormalizerFromFile} falls back to Java deserialisation and then rewrites the model
 * file. This loader never calls those paths on the user's file. It:
 * <ol>
 * <li>reads the central directory: entry count, names (no {@code ..}, absolute or drive names, no duplicates),
 * declared sizes, all within {@link ModelZipLimits}; a truncated zip fails here;</li>
 * <li>streams every entry as DL4J would (local headers, CRC checked), counting actual bytes against the
 * declared size and the limits, and requires the same entries as the central directory;</li>
 * <li>checks any Java-serialised entry ({@code preprocessor.bin}, {@code objects/*}, an old-format
 * {@code normalizer.bin}) with {@link SerialAllowList} unless the file is trusted;</li>
 * <li>checks {@code configuration.json} is a ComputationGraph whose {@code @class} names are DL4J, ND4J or
 * tl4j classes (DL4J's JSON names classes to instantiate);</li>
 * <li>writes only the entries a ComputationGraph needs (configuration, parameters, updater state) to a private
 * temp copy, and restores the graph from that copy. The user's file is only ever opened for reading.</li>
 * </ol>
 * DL4J discards {@code preprocessor.bin} for a ComputationGraph, so leaving it out of the copy changes nothing
 * but removes the unfiltered deserialisation.
 */
public final class SafeModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SafeModelLoader.class);

    static {
        LayerHelpers.enableUnlessUserChose(); // before the first graph is loaded: DL4J decides per layer, at construction
    }

    static final String CONFIGURATION = ModelSerializer.CONFIGURATION_JSON;
    static final String COEFFICIENTS = ModelSerializer.COEFFICIENTS_BIN;
    static final String NO_PARAMS = ModelSerializer.NO_PARAMS_MARKER;
    static final String UPDATER = ModelSerializer.UPDATER_BIN;

    /** Java serialisation's stream magic, {@code ObjectStreamConstants.STREAM_MAGIC}. */
    private static final int SERIAL_MAGIC_0 = 0xAC;
    private static final int SERIAL_MAGIC_1 = 0xED;
    /** Serialised entries are kept in memory to be checked; DL4J's own are a few kilobytes. */
    private static final long MAX_SERIALISED_BYTES = 64L << 20;
    private static final long MAX_CONFIGURATION_BYTES = 64L << 20;
    private static final List<String> TRUSTED_JSON_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.tl4j.");

    private final ModelZipLimits limits;
    private final SerialAllowList allowList;
    private final boolean trusted;

    private SafeModelLoader(ModelZipLimits limits, SerialAllowList allowList, boolean trusted) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.trusted = trusted;
    }

    /** Set by the CLI's {@code --trust-model}: one command per process, so a process-wide switch is enough. */
    private static volatile boolean trustedByUser;

    /**
     * Default limits and tl4j's allow-list; model files are not trusted unless the user said so for this process
     * ({@link #trustModelsInThisProcess(boolean)}).
     */
    public static SafeModelLoader standard() {
        return new SafeModelLoader(ModelZipLimits.DEFAULT, SerialAllowList.TL4J_DEFAULT, trustedByUser);
    }

    /**
     * The CLI's {@code --trust-model}: from now on {@link #standard()} skips the allow-list and class-name checks
     * (structure and size checks stay on). Only for files the user made or got from someone they trust.
     */
    public static void trustModelsInThisProcess(boolean trust) {
        if (trust) {
            LOG.warn("--trust-model: model files are loaded without the Java-serialisation allow-list");
        }
        trustedByUser = trust;
    }

    /**
     * {@link #standard()} or, when {@code trustModel} (the CLI's {@code --trust-model}), one that skips the
     * allow-list and class-name checks. Zip structure and size checks stay on either way.
     */
    public static SafeModelLoader of(boolean trustModel) {
        return new SafeModelLoader(ModelZipLimits.DEFAULT, SerialAllowList.TL4J_DEFAULT, trustModel);
    }

    /** This loader with other size limits. */
    public SafeModelLoader withLimits(ModelZipLimits newLimits) {
        return new SafeModelLoader(newLimits, allowList, trusted);
    }

    /** This loader with another allow-list for Java-serialised entries. */
    public SafeModelLoader withAllowList(SerialAllowList newAllowList) {
        return new SafeModelLoader(limits, newAllowList, trusted);
    }

    /**
     * Checks {@code file} and restores the ComputationGraph it holds.
     *
     * @param loadUpdater whether to restore the updater state (momentum) too, for resuming training
     * @throws ModelFileRejectedException when the file is unsafe, damaged or not a ComputationGraph zip
     * @throws IOException                when it cannot be read
     */
    public ComputationGraph restoreComputationGraph(Path file, boolean loadUpdater) throws IOException {
        Path copy = Files.createTempFile("tl4j-verified-model-", ".zip");
        try {
            writeVerifiedCopy(file, copy, loadUpdater);
            try {
                return ModelSerializer.restoreComputationGraph(copy.toFile(), loadUpdater);
            } catch (RuntimeException e) {
                throw new ModelFileRejectedException(file + " passed tl4j's checks but DL4J cannot build a graph from"
                        + " it (" + e.getMessage() + "); the parameters may not match the configuration: re-save"
                        + " the model with ModelSerializer.writeModel", e);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * Runs every check on {@code file} without building the graph (for {@code verify}-style commands).
     *
     * @throws ModelFileRejectedException when a check fails
     */
    public void verify(Path file) throws IOException {
        writeVerifiedCopy(file, null, false);
    }

    private void writeVerifiedCopy(Path file, Path copy, boolean loadUpdater) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileRejectedException("No such model file: " + file + " (give the path of a DL4J model"
                    + " zip written by ModelSerializer.writeModel)");
        }
        Map<String, Long> declared = readCentralDirectory(file);
        Set<String> kept = new HashSet<>(List.of(CONFIGURATION, COEFFICIENTS, NO_PARAMS));
        if (loadUpdater) {
            kept.add(UPDATER);
        }
        byte[] configuration = null;
        Set<String> streamed = new HashSet<>();
        long total = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                ZipInputStream zip = new ZipInputStream(raw);
                ZipOutputStream out = copy == null ? null : openCopy(copy)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                if (!declared.containsKey(name) || !streamed.add(name)) {
                    throw rejected(file, "its entry '" + printable(name) + "' appears in the data but not (or twice)"
                            + " in the zip's directory, a sign of a crafted or damaged zip");
                }
                long declaredSize = declared.get(name);
                boolean keep = kept.contains(name) && out != null;
                if (keep) {
                    out.putNextEntry(new ZipEntry(name));
                }
                // The configuration is kept to be checked; entries DL4J does not use are kept only when they
                // start as Java serialisation does, to run them through the allow-list.
                Held held = name.equals(CONFIGURATION) ? new Held(MAX_CONFIGURATION_BYTES, false)
                        : kept.contains(name) ? null : new Held(MAX_SERIALISED_BYTES, true);
                long size = copyBounded(file, name, zip, keep ? out : null, held, declaredSize, total);
                total += size;
                if (keep) {
                    out.closeEntry();
                }
                if (name.equals(CONFIGURATION)) {
                    configuration = held.bytes.toByteArray();
                } else if (held != null && held.bytes != null && isJavaSerialised(held.bytes)) {
                    checkSerialised(file, name, held.bytes.toByteArray());
                }
            }
        } catch (ZipException | EOFException e) {
            throw rejected(file, "its data is damaged (" + e.getMessage() + "): the file is truncated or corrupted;"
                    + " download or copy it again");
        }
        if (!streamed.equals(declared.keySet())) {
            Set<String> missing = new HashSet<>(declared.keySet());
            missing.removeAll(streamed);
            throw rejected(file, "the zip's directory lists entries with no data (" + missing + "): the file is"
                    + " truncated or crafted; download or copy it again");
        }
        if (configuration == null || !(streamed.contains(COEFFICIENTS) || streamed.contains(NO_PARAMS))) {
            throw rejected(file, "it is a zip but not a DL4J model (it needs " + CONFIGURATION + " and "
                    + COEFFICIENTS + "); save models with ModelSerializer.writeModel");
        }
        checkConfiguration(file, configuration);
    }

    private static ZipOutputStream openCopy(Path copy) throws IOException {
        ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(copy), 1 << 16));
        // The copy lives for one load: compressing it would only cost time.
        out.setLevel(Deflater.NO_COMPRESSION);
        return out;
    }

    private Map<String, Long> readCentralDirectory(Path file) throws IOException {
        Map<String, Long> declared = new HashMap<>();
        long total = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > limits.maxEntries()) {
                throw rejected(file, "it has " + zip.size() + " entries, more than the " + limits.maxEntries()
                        + " a model zip may have");
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                checkName(file, name);
                if (declared.put(name, entry.getSize()) != null) {
                    throw rejected(file, "its entry '" + printable(name) + "' appears twice; DL4J would read one"
                            + " and tl4j could check the other");
                }
                long size = entry.getSize();
                if (size > limits.maxEntryBytes()) {
                    throw rejected(file, "its entry '" + printable(name) + "' declares " + size + " bytes, more than"
                            + " the limit of " + limits.maxEntryBytes() + " (a zip bomb or not a model zip)");
                }
                total += Math.max(0, size);
                if (total > limits.maxTotalBytes()) {
                    throw rejected(file, "its entries declare more than " + limits.maxTotalBytes() + " bytes in"
                            + " all (a zip bomb or not a model zip)");
                }
            }
        } catch (ZipException e) {
            throw rejected(file, "it is not a complete zip file (" + e.getMessage() + "): it is truncated or not a"
                    + " model zip; download or copy it again");
        }
        return declared;
    }

    private static void checkName(Path file, String name) throws ModelFileRejectedException {
        String slashed = name.replace('\\', '/');
        boolean escapes = slashed.startsWith("/") || slashed.matches("^[A-Za-z]:.*") || name.indexOf('\0') >= 0
                || ("/" + slashed + "/").contains("/../") || name.isEmpty();
        if (escapes) {
            throw rejected(file, "its entry name '" + printable(name) + "' is absolute or climbs out of the"
                    + " archive (zip slip); a model zip never has such names");
        }
    }

    /** Bytes of an entry kept in memory; with {@code sniff}, dropped once they cannot be Java serialisation. */
    private static final class Held {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long limit;
        final boolean sniff;

        Held(long limit, boolean sniff) {
            this.limit = limit;
            this.sniff = sniff;
        }
    }

    private long copyBounded(Path file, String name, InputStream in, OutputStream out, Held held,
            long declaredSize, long totalSoFar) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            size += n;
            if (declaredSize >= 0 && size > declaredSize) {
                throw rejected(file, "its entry '" + printable(name) + "' holds more than the " + declaredSize
                        + " bytes its header declares (a crafted zip)");
            }
            if (size > limits.maxEntryBytes() || totalSoFar + size > limits.maxTotalBytes()) {
                throw rejected(file, "its entry '" + printable(name) + "' expands beyond the limits ("
                        + limits.maxEntryBytes() + " bytes per entry, " + limits.maxTotalBytes() + " in all):"
                        + " a zip bomb or not a model zip");
            }
            if (out != null) {
                out.write(buffer, 0, n);
            }
            if (held != null && held.bytes != null) {
                if (held.bytes.size() + n > held.limit) {
                    throw rejected(file, "its entry '" + printable(name) + "' is larger than the " + held.limit
                            + " bytes tl4j checks for such an entry");
                }
                held.bytes.write(buffer, 0, n);
                if (held.sniff && held.bytes.size() >= 2 && !isJavaSerialised(held.bytes)) {
                    held.bytes = null;
                }
            }
        }
        if (declaredSize >= 0 && size != declaredSize) {
            throw rejected(file, "its entry '" + printable(name) + "' holds " + size + " bytes but declares "
                    + declaredSize + ": the file is truncated or corrupted; download or copy it again");
        }
        return size;
    }

    private static boolean isJavaSerialised(ByteArrayOutputStream held) {
        if (held.size() < 2) {
            return false;
        }
        byte[] head = held.toByteArray();
        return (head[0] & 0xFF) == SERIAL_MAGIC_0 && (head[1] & 0xFF) == SERIAL_MAGIC_1;
    }

    private void checkSerialised(Path file, String name, byte[] bytes) throws IOException {
        if (trusted) {
            LOG.warn("{}: entry {} holds Java-serialised objects; not checked (--trust-model) and not used", file,
                    printable(name));
            return;
        }
        SerialAllowList filter = allowList.copy();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            while (true) {
                in.readObject();
            }
        } catch (EOFException endOfObjects) {
            LOG.debug("{}: entry {} holds only allowed classes", file, name);
        } catch (InvalidClassException e) {
            String what = filter.lastRejected() == null ? e.getMessage() : filter.lastRejected();
            throw rejected(file, "its entry '" + printable(name) + "' holds a Java-serialised " + what + ", which"
                    + " tl4j does not deserialise (it could run code when loaded); if you made this file and trust"
                    + " it, pass --trust-model");
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
            throw rejected(file, "its entry '" + printable(name) + "' holds Java-serialised data tl4j cannot check ("
                    + e.getMessage() + "); if you made this file and trust it, pass --trust-model");
        }
    }

    private void checkConfiguration(Path file, byte[] configuration) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configuration);
        } catch (IOException e) {
            throw rejected(file, "its " + CONFIGURATION + " is not valid JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw rejected(file, "its " + CONFIGURATION + " is not a JSON object; it is not a DL4J model");
        }
        if (!root.has("vertices") || !root.has("networkInputs")) {
            String kind = root.has("confs") ? "a MultiLayerNetwork" : "not a ComputationGraph";
            throw rejected(file, "it holds " + kind + "; tl4j works on ComputationGraph models: convert it with"
                    + " multiLayerNetwork.toComputationGraph() and save that with ModelSerializer.writeModel");
        }
        if (!trusted) {
            List<String> foreign = new ArrayList<>();
            collectForeignClasses(root, foreign);
            if (!foreign.isEmpty()) {
                throw rejected(file, "its " + CONFIGURATION + " names classes outside DL4J, ND4J and tl4j "
                        + foreign.subList(0, Math.min(3, foreign.size())) + ", which DL4J would instantiate; if you"
                        + " made this file and trust it, pass --trust-model");
            }
        }
    }

    private static void collectForeignClasses(JsonNode node, List<String> foreign) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (field.getKey().equals("@class") && value.isTextual()
                        && TRUSTED_JSON_PACKAGES.stream().noneMatch(value.asText()::startsWith)) {
                    foreign.add(value.asText());
                }
                collectForeignClasses(value, foreign);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectForeignClasses(child, foreign));
        }
    }

    private static ModelFileRejectedException rejected(Path file, String problem) {
        return new ModelFileRejectedException("Model file " + file + " was not loaded: " + problem);
    }

    /** Entry names come from the file: show control characters escaped so the message stays one line. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
