package org.tl4j.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;

/**
 * The process {@link AtomicFilesTest} kills: rewrites one file through {@link AtomicFiles} in a loop, each
 * version a self-checking record (version, length, seeded bytes, SHA-256 of all that), so a reader can tell a
 * whole version from a half-written one.
 */
public final class AtomicWriteChild {

    static final int PAYLOAD_BYTES = 256 * 1024;

    private AtomicWriteChild() {
    }

    /**
     * {@code args[0]}: the file to rewrite until killed; {@code args[1]}: {@code atomic} (through AtomicFiles) or
     * {@code in-place} (the control: a plain overwrite). Prints "writing" once the first new version starts.
     */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        boolean atomic = !"in-place".equals(args[1]);
        long version = read(target) + 1;
        System.out.println("writing");
        System.out.flush();
        while (true) {
            if (atomic) {
                write(target, version++);
            } else {
                try (java.io.OutputStream out = Files.newOutputStream(target)) {
                    writeRecord(out, version++);
                }
            }
        }
    }

    static void write(Path target, long version) throws IOException {
        AtomicFiles.write(target, out -> writeRecord(out, version));
    }

    private static void writeRecord(java.io.OutputStream out, long version) throws IOException {
        {
            byte[] payload = payload(version);
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(version);
            data.writeInt(payload.length);
            // Written in pieces so a kill can land between them when the file is not written atomically.
            for (int offset = 0; offset < payload.length; offset += 4096) {
                data.write(payload, offset, Math.min(4096, payload.length - offset));
            }
            data.write(digest(version, payload));
            data.flush();
        }
    }

    /** The version in {@code file}, after checking it whole; -1 when the file is damaged. */
    static long read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            long version = in.readLong();
            int length = in.readInt();
            if (length != PAYLOAD_BYTES) {
                return -1;
            }
            byte[] payload = in.readNBytes(length);
            byte[] digest = in.readNBytes(32);
            boolean whole = payload.length == length && Arrays.equals(digest, digest(version, payload))
                    && Arrays.equals(payload, payload(version)) && in.read() < 0;
            return whole ? version : -1;
        } catch (java.io.EOFException truncated) {
            return -1;
        }
    }

    private static byte[] payload(long version) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(version).nextBytes(payload);
        return payload;
    }

    private static byte[] digest(long version, byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Long.toString(version).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return sha.digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
