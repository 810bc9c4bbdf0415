package org.tl4j.datasets.fashion;

import java.util.Arrays;

/**
 * An unsigned-byte IDX array (the MNIST file format): its dimensions and its values, row-major.
 *
 * @param dims          dimensions, outermost first (e.g. 60000, 28, 28 for images; 60000 for labels)
 * @param data          the values
 * @param contentSha256 SHA-256 of the uncompressed IDX bytes (header and data), independent of gzip
 */
public record IdxArray(int[] dims, byte[] data, String contentSha256) {

    /** Number of items along the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Values per item (product of the other dimensions). */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** The values of item {@code i}. */
    public byte[] item(int i) {
        int size = itemSize();
        return Arrays.copyOfRange(data, i * size, (i + 1) * size);
    }

    /** Value {@code i} of a one-dimensional array, 0..255. */
    public int value(int i) {
        return data[i] & 0xFF;
    }
}
