package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tl4j zoo fetch / import / verify} as a user drives them, on a descriptor of the user's own
 * ({@code TL4J_ADAPTERS}) whose weight file is served from a {@code file:} URL the test makes.
 */
class ZooWeightsCliTest {

    @TempDir
    Path work;

    private Path cache;
    private Path weights;
    private String sha256;
    private Map<String, String> env;

    @BeforeEach
    void makeAdapterAndWeights() throws Exception {
        byte[] bytes = new byte[50_000];
        new Random(7).nextBytes(bytes);
        weights = Files.write(work.resolve("tiny-weights.zip"), bytes);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path adapters = Files.createDirectories(work.resolve("adapters"));
        descriptor(adapters, "tiny.test", weights.toUri().toString(), bytes.length);
        descriptor(adapters, "offline.test", "http://127.0.0.1:9/tiny-weights.zip", bytes.length);
        cache = work.resolve("cache");
        env = Map.of("TL4J_ADAPTERS", adapters.toString());
    }

    private void descriptor(Path folder, String id, String uri, long size) throws Exception {
        Files.writeString(folder.resolve(id + ".json"), """
                {"id": "%s", "extends": "resnet50-small",
                 "weights": [{"uri": "%s", "format": "DL4J_ZIP", "sha256": "%s", "sizeBytes": %d,
                              "licence": "test", "origin": "made by ZooWeightsCliTest"}]}
                """.formatted(id, uri, sha256, size));
    }

    private Tl4jProcess.Result tl4j(String... args) throws Exception {
        return Tl4jProcess.runWithEnv(env, 120, args);
    }

    @Test
    void fetchVerifyAndRepairACorruptedCache() throws Exception {
        Tl4jProcess.Result fetched = tl4j("zoo", "fetch", "tiny.test", "--cache", cache.toString());
        assertEquals(0, fetched.exitCode(), fetched.stderr());
        assertTrue(fetched.stdout().contains(sha256), fetched.stdout());
        Path cached = cache.resolve(sha256).resolve("tiny-weights.zip");
        assertTrue(Files.isRegularFile(cached));

        Tl4jProcess.Result verified = tl4j("zoo", "verify", "--cache", cache.toString());
        assertEquals(0, verified.exitCode(), verified.stderr());
        assertTrue(verified.stdout().contains("1 good, 0 removed"), verified.stdout());

        byte[] corrupt = Files.readAllBytes(cached);
        corrupt[100] ^= 1;
        Files.write(cached, corrupt);
        Tl4jProcess.Result bad = tl4j("zoo", "verify", "--cache", cache.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stdout().contains("REMOVED"), bad.stdout());
        assertFalse(Files.exists(cached), "a file that fails its hash is removed");

        Tl4jProcess.Result again = tl4j("zoo", "fetch", "tiny.test", "--cache", cache.toString());
        assertEquals(0, again.exitCode(), again.stderr());
        assertTrue(Files.isRegularFile(cached), "a later fetch restores it");
    }

    @Test
    void importChecksTheFileAndKeepsNothingWrong() throws Exception {
        Path wrong = Files.write(work.resolve("wrong.zip"), new byte[] {1, 2, 3});
        Tl4jProcess.Result refused = tl4j("zoo", "import", wrong.toString(), "--as", "tiny.test", "--cache", cache.toString());
        assertEquals(2, refused.exitCode(), refused.stdout());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains(sha256), "names the expected hash: " + refused.stderr());
        assertTrue(!Files.exists(cache) || noFilesIn(cache), "nothing is left in the cache");

        Tl4jProcess.Result imported = tl4j("zoo", "import", weights.toString(), "--as", "tiny.test", "--cache", cache.toString());
        assertEquals(0, imported.exitCode(), imported.stderr());
        assertTrue(Files.isRegularFile(cache.resolve(sha256).resolve("tiny-weights.zip")));
        assertTrue(Files.isRegularFile(weights), "the user's original stays where it was");
    }

    @Test
    void offlineFetchSaysWhereToPlaceTheFileByHandOnOneLine() throws Exception {
        Tl4jProcess.Result result = tl4j("zoo", "fetch", "offline.test", "--cache", cache.toString());
        assertEquals(1, result.exitCode());
        // Retries log a WARN line each; the error itself is one line, with no stack trace.
        String err = result.stderr().lines().filter(l -> l.startsWith("tl4j: error:")).reduce("", String::concat);
        assertEquals(1, result.stderr().lines().filter(l -> l.startsWith("tl4j:")).count(), result.stderr());
        assertFalse(result.stderr().contains("\tat "), "no stack trace: " + result.stderr());
        assertTrue(err.contains("http://127.0.0.1:9/tiny-weights.zip"), err);
        assertTrue(err.contains(cache.toString()), err);
        assertTrue(err.contains("zoo import FILE --as offline.test"), err);
    }

    @Test
    void unknownAdapterIsBadInputNamingTheKnownIds() throws Exception {
        Tl4jProcess.Result result = tl4j("zoo", "fetch", "no-such-model", "--cache", cache.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("resnet50.imagenet"), result.stderr());
    }

    private static boolean noFilesIn(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).findAny().isEmpty();
        }
    }
}
