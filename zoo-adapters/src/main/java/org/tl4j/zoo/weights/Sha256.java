package org.tl4j.zoo.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Streaming SHA-256 helpers: hash a file without loading it, and format digests as lower-case hex. */
public final class Sha256 {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    /** A fresh SHA-256 digest (every JVM must provide one, so absence is a broken runtime, not user error). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256 implementation", e);
        }
    }

    /** The SHA-256 of a file's bytes as 64 lower-case hex digits, read in 64 KiB chunks. */
    public static String of(Path file) throws IOException {
        return Digests.of(file).sha256();
    }

    /** The SHA-256 of a byte array as 64 lower-case hex digits. */
    public static String of(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Whether {@code text} is a SHA-256 written as 64 lower-case hex digits. */
    public static boolean isHex(String text) {
        return text != null && HEX_64.matcher(text).matches();
    }
}
