package org.tl4j.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.Adler32;

/**
 * What a file's bytes hash to: SHA-256 (tl4j's identity for weights), Adler-32 (what DL4J's own zoo publishes)
 * and the byte count. Both sums are computed in the same pass so a download is read once.
 *
 * @param sha256    64 lower-case hex digits
 * @param adler32   the Adler-32 value, as DL4J's {@code ZooModel.pretrainedChecksum} reports it
 * @param sizeBytes number of bytes hashed
 */
public record Digests(String sha256, long adler32, long sizeBytes) {

    /** Hashes a whole file. */
    public static Digests of(Path file) throws IOException {
        Accumulator accumulator = new Accumulator();
        try (InputStream in = Files.newInputStream(file)) {
            accumulator.consume(in);
        }
        return accumulator.finish();
    }

    /** Updates SHA-256, Adler-32 and a byte count together, chunk by chunk. */
    static final class Accumulator {
        static final int BUFFER_BYTES = 1 << 16;
        private final MessageDigest sha = Sha256.newDigest();
        private final Adler32 adler = new Adler32();
        private long size;

        void update(byte[] buffer, int offset, int length) {
            sha.update(buffer, offset, length);
            adler.update(buffer, offset, length);
            size += length;
        }

        void consume(InputStream in) throws IOException {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                update(buffer, 0, n);
            }
        }

        long size() {
            return size;
        }

        Digests finish() {
            return new Digests(Sha256.hex(sha.digest()), adler.getValue(), size);
        }
    }
}
