package org.tl4j.train;

import org.tl4j.data.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.ImageFolderIterator;

/**
 * A run's checkpoint folder. Each checkpoint is {@code checkpoint-<iteration>.zip} (DL4J's model file with the
 * updater state) plus {@code checkpoint-<iteration>.json}, a sidecar holding the {@link CheckpointState} and the
 * zip's size and SHA-256. Both are written atomically and durably, the zip first: a sidecar therefore only
 * exists for a complete zip, and the hash catches a zip damaged afterwards. Older checkpoints are removed by the
 * {@link CheckpointPolicy} only once the new one is in place. One run writes to a folder at a time.
 */
public final class Checkpoints {

    /** Version of the sidecar's layout. */
    public static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{10})\\.(zip|json)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The sidecar file's content. */
    record Sidecar(int format, String model, long modelBytes, String modelSha256, String writtenAt,
                   CheckpointState state) {
    }

    /** A checkpoint the loader passed over, and why. */
    public record Skipped(Path file, String reason) {
    }

    /** What {@link #select()} found: the newest usable checkpoint, if any, and the newer ones it had to skip. */
    public record Selection(Optional<Checkpoint> checkpoint, List<Skipped> skipped) {
    }

    private final Path folder;
    private final CheckpointPolicy policy;

    /** A checkpoint folder (created on the first save) kept by {@code policy}. */
    public Checkpoints(Path folder, CheckpointPolicy policy) {
        this.folder = folder.toAbsolutePath();
        this.policy = java.util.Objects.requireNonNull(policy, "policy");
    }

    public Path folder() {
        return folder;
    }

    public CheckpointPolicy policy() {
        return policy;
    }

    /** The state of a run between two updates: the graph's counts, the data position, ND4J's generator. */
    public static CheckpointState capture(ComputationGraph graph, ImageFolderIterator data, GrowingPatience patience,
                                          Double score) {
        return new CheckpointState(graph.getIterationCount(), graph.getEpochCount(), data.position(),
                CheckpointState.RandomState.capture(), patience == null ? null : patience.snapshot(), score);
    }

    /**
     * Writes a checkpoint of {@code graph} (with its updater state) and {@code state}, then applies retention.
     *
     * @return the checkpoint written
     */
    public Checkpoint save(ComputationGraph graph, CheckpointState state) throws IOException {
        if (graph.getIterationCount() != state.iteration()) {
            throw new IllegalArgumentException("the graph is at iteration " + graph.getIterationCount()
                    + " but the state says " + state.iteration() + ": capture the state from this graph");
        }
        Files.createDirectories(folder);
        String base = String.format("checkpoint-%010d", state.iteration());
        Path model = folder.resolve(base + ".zip");
        Path sidecar = folder.resolve(base + ".json");
        // An existing sidecar for this iteration would vouch for the old zip while the new one is renamed in.
        Files.deleteIfExists(sidecar);
        String[] sha = new String[1];
        long[] bytes = new long[1];
        AtomicFiles.writeFile(model, temp -> {
            ModelSerializer.writeModel(graph, temp.toFile(), true);
            sha[0] = sha256(temp);
            bytes[0] = Files.size(temp);
        });
        Sidecar content = new Sidecar(FORMAT_VERSION, model.getFileName().toString(), bytes[0], sha[0],
                Instant.now().toString(), state);
        AtomicFiles.writeFile(sidecar, temp -> JSON.writeValue(temp.toFile(), content));
        LOG.info("checkpoint at update {} (epoch {}, batch {}) written to {}", state.iteration(),
                state.data().epoch(), state.data().batch(), model);
        applyRetention(state.iteration());
        return new Checkpoint(model, sidecar, state);
    }

    /** The newest usable checkpoint, if any; newer ones that fail their checks are logged and skipped. */
    public Optional<Checkpoint> latest() throws IOException {
        return select().checkpoint();
    }

    /**
     * Finds the newest checkpoint whose sidecar reads and whose zip has the recorded size and hash. Each newer
     * one that fails (interrupted write, truncation, corruption) is logged with its file and the reason.
     */
    public Selection select() throws IOException {
        List<Skipped> skipped = new ArrayList<>();
        List<Long> iterations = iterationsOnDisk();
        for (int i = iterations.size() - 1; i >= 0; i--) {
            long iteration = iterations.get(i);
            String base = String.format("checkpoint-%010d", iteration);
            Path model = folder.resolve(base + ".zip");
            Path sidecar = folder.resolve(base + ".json");
            Skipped problem;
            try {
                Checkpoint checkpoint = verified(model, sidecar);
                return new Selection(Optional.of(checkpoint), List.copyOf(skipped));
            } catch (NoSuchFileException e) {
                problem = new Skipped(model, Path.of(e.getFile()).getFileName()
                        + " is missing: writing or deleting this checkpoint was interrupted");
            } catch (IOException | RuntimeException e) {
                problem = new Skipped(model, e.getMessage());
            }
            skipped.add(problem);
            LOG.warn("skipping checkpoint {}: {}; falling back to the previous one", problem.file(), problem.reason());
        }
        return new Selection(Optional.empty(), List.copyOf(skipped));
    }

    /** Every checkpoint with a readable sidecar, oldest first, without hashing the zips. */
    public List<CheckpointState> list() throws IOException {
        List<CheckpointState> states = new ArrayList<>();
        for (long iteration : iterationsOnDisk()) {
            Path sidecar = folder.resolve(String.format("checkpoint-%010d.json", iteration));
            try {
                states.add(JSON.readValue(sidecar.toFile(), Sidecar.class).state());
            } catch (IOException e) {
                // no or broken sidecar: not a checkpoint (select() reports it when it matters)
            }
        }
        return states;
    }

    private Checkpoint verified(Path model, Path sidecar) throws IOException {
        if (!Files.exists(sidecar)) {
            throw new NoSuchFileException(sidecar.toString());
        }
        Sidecar content;
        try {
            content = JSON.readValue(sidecar.toFile(), Sidecar.class);
        } catch (IOException e) {
            throw new IOException("its sidecar " + sidecar.getFileName() + " is unreadable ("
                    + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (content.format() != FORMAT_VERSION || content.state() == null) {
            throw new IOException("its sidecar " + sidecar.getFileName() + " has format " + content.format()
                    + ", this tl4j reads " + FORMAT_VERSION);
        }
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString());
        }
        long size = Files.size(model);
        if (size != content.modelBytes()) {
            throw new IOException("it has " + size + " bytes, its sidecar " + sidecar.getFileName() + " says "
                    + content.modelBytes() + " (truncated or overwritten)");
        }
        String sha = sha256(model);
        if (!sha.equals(content.modelSha256())) {
            throw new IOException("its SHA-256 is " + sha + ", its sidecar " + sidecar.getFileName() + " says "
                    + content.modelSha256() + " (corrupted)");
        }
        return new Checkpoint(model, sidecar, content.state());
    }

    /** Deletes what the policy no longer keeps, and zips older than {@code newest} that never got a sidecar. */
    private void applyRetention(long newest) throws IOException {
        List<CheckpointState> all = list();
        for (CheckpointState old : policy.toDelete(all)) {
            String base = String.format("checkpoint-%010d", old.iteration());
            // Sidecar first: a checkpoint half-deleted by a crash then reads as incomplete, never as valid.
            Files.deleteIfExists(folder.resolve(base + ".json"));
            Files.deleteIfExists(folder.resolve(base + ".zip"));
        }
        for (long iteration : iterationsOnDisk()) {
            Path sidecar = folder.resolve(String.format("checkpoint-%010d.json", iteration));
            if (iteration < newest && !Files.exists(sidecar)) {
                Files.deleteIfExists(folder.resolve(String.format("checkpoint-%010d.zip", iteration)));
            }
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path temp : files.filter(Checkpoints::isTemp).toList()) {
                Files.deleteIfExists(temp); // left by a process killed while writing
            }
        }
        AtomicFiles.syncFolder(folder);
    }

    private static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(AtomicFiles.TEMP_PREFIX + "checkpoint-") && name.endsWith(AtomicFiles.TEMP_SUFFIX);
    }

    /** Iterations that have a zip or a sidecar in the folder, ascending. */
    private List<Long> iterationsOnDisk() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> NAME.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).distinct().sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
