package org.tl4j.zoo.weights;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * SHA-256s pinned on first download, for sources that publish only a weaker checksum. One small properties file
 * per source under {@code ROOT/pins/}, written atomically.
 */
final class Pins {

    /**
     * A pinned identity.
     *
     * @param file      the pin file
     * @param sha256    SHA-256 of the file accepted on first download
     * @param sizeBytes its size
     * @param adler32   the published checksum it was accepted against
     */
    record Pin(Path file, String sha256, long sizeBytes, long adler32) {
    }

    private Pins() {
    }

    static Path pinFile(WeightStore store, String key) {
        return store.root().resolve("pins").resolve(key + ".pin");
    }

    static Optional<Pin> read(Path pinFile) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(pinFile, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String sha = properties.getProperty("sha256");
        try {
            long size = Long.parseLong(properties.getProperty("sizeBytes", ""));
            long adler = Long.parseLong(properties.getProperty("adler32", ""));
            if (Sha256.isHex(sha)) {
                return Optional.of(new Pin(pinFile, sha, size, adler));
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new WeightsException("Pin file " + pinFile + " is damaged (needs sha256, sizeBytes, adler32); delete it"
                + " and the next download pins the file again");
    }

    static Pin write(Path pinFile, Digests digests, String acceptedFrom) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("sha256", digests.sha256());
        properties.setProperty("sizeBytes", Long.toString(digests.sizeBytes()));
        properties.setProperty("adler32", Long.toString(digests.adler32()));
        properties.setProperty("acceptedFrom", acceptedFrom);
        properties.setProperty("pinnedAt", Instant.now().toString());
        AtomicProperties.write(pinFile, properties, "SHA-256 pinned by tl4j on first download; delete to re-pin");
        return new Pin(pinFile, digests.sha256(), digests.sizeBytes(), digests.adler32());
    }
}
