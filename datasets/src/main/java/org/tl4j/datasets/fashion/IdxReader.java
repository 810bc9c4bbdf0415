package org.tl4j.datasets.fashion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.tl4j.datasets.DatasetException;

/**
 * Reads IDX files (the MNIST/Fashion-MNIST format: 0, 0, type byte, dimension count, big-endian int32 sizes,
 * then the values), gzip-compressed or not. Only the unsigned-byte type (0x08) is read; it is the only one
 * MNIST-style image and label files use.
 */
public final class IdxReader {

    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMS = 4;

    private IdxReader() {
    }

    public static IdxArray read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            InputStream content = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            DataInputStream in = new DataInputStream(new DigestInputStream(content, digest));
            IdxArray array = read(in, file);
            if (in.read() != -1) {
                throw new DatasetException(file + " has bytes after the " + Arrays.toString(array.dims())
                        + " values its IDX header announces: it is not a valid IDX file; reinstall or re-download it");
            }
            return new IdxArray(array.dims(), array.data(), HexFormat.of().formatHex(digest.digest()));
        } catch (EOFException e) {
            throw new DatasetException(file + " ends before the values its IDX header announces: the file is truncated;"
                    + " reinstall or re-download it", e);
        } catch (java.util.zip.ZipException e) {
            throw new DatasetException(file + " is not valid gzip (" + e.getMessage() + "); reinstall or re-download it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static IdxArray read(DataInputStream in, Path file) throws IOException {
        int zero1 = in.readUnsignedByte();
        int zero2 = in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int dimCount = in.readUnsignedByte();
        if (zero1 != 0 || zero2 != 0 || dimCount < 1 || dimCount > MAX_DIMS) {
            throw new DatasetException(file + " is not an IDX file (its first four bytes are "
                    + String.format("%02x %02x %02x %02x", zero1, zero2, type, dimCount)
                    + "; IDX starts with 00 00, a type byte and 1-" + MAX_DIMS + " dimensions)");
        }
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new DatasetException(file + " holds IDX type 0x" + Integer.toHexString(type)
                    + "; only unsigned bytes (0x08), as in MNIST-style image and label files, are supported");
        }
        int[] dims = new int[dimCount];
        long total = 1;
        for (int i = 0; i < dimCount; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new DatasetException(file + ": IDX dimension " + i + " is negative (" + dims[i] + "); the file is corrupt");
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new DatasetException(file + ": IDX dimensions " + Arrays.toString(dims) + " are too large to load");
        }
        byte[] data = new byte[(int) total];
        in.readFully(data);
        return new IdxArray(dims, data, null);
    }
}
