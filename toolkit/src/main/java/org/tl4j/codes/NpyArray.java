package org.tl4j.codes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One array in numpy's {@code .npy} format, version 1.0: float32 ({@code <f4}), int32 ({@code <i4}) or
 * fixed-width unicode strings ({@code <U n}, UTF-32LE) — the three kinds the codes files need. Written by hand
 * because the format is a 10-byte preamble and a Python-literal header (numpy's NEP 1 spec), and no maintained
 * Java library writes it without pulling in a native runtime.
 */
public final class NpyArray {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String descr;
    private final long[] shape;
    private final float[] floats;
    private final int[] ints;
    private final List<String> strings;

    private NpyArray(String descr, long[] shape, float[] floats, int[] ints, List<String> strings) {
        this.descr = descr;
        this.shape = shape;
        this.floats = floats;
        this.ints = ints;
        this.strings = strings;
    }

    /** A float32 array of this shape (C order). */
    public static NpyArray ofFloats(float[] values, long... shape) {
        check(values.length, shape);
        return new NpyArray("<f4", shape.clone(), values, null, null);
    }

    /** An int32 array of this shape (C order). */
    public static NpyArray ofInts(int[] values, long... shape) {
        check(values.length, shape);
        return new NpyArray("<i4", shape.clone(), null, values, null);
    }

    /** A 1-d unicode string array (a 0-d one when {@code scalar}), width the longest string's code points. */
    public static NpyArray ofStrings(List<String> values, boolean scalar) {
        if (scalar && values.size() != 1) {
            throw new IllegalArgumentException("a scalar holds one string, got " + values.size());
        }
        int width = Math.max(1, values.stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
        return new NpyArray("<U" + width, scalar ? new long[0] : new long[] {values.size()}, null, null,
                List.copyOf(values));
    }

    /** numpy's dtype string ({@code <f4}, {@code <i4}, {@code <U12}). */
    public String descr() {
        return descr;
    }

    /** The shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The values of a float array (float64 files are narrowed). */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("array of dtype " + descr + " holds no floats");
        }
        return floats;
    }

    /** The values of an integer array. */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("array of dtype " + descr + " holds no integers");
        }
        return ints;
    }

    /** The values of a string array. */
    public List<String> strings() {
        if (strings == null) {
            throw new IllegalStateException("array of dtype " + descr + " holds no strings");
        }
        return strings;
    }

    /** Writes the array as a {@code .npy} stream (header, then the data little-endian, C order). */
    public void write(OutputStream out) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // Preamble (10 bytes) + header is padded with spaces to a multiple of 64, ending in a newline (NEP 1).
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(pre.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        if (floats != null) {
            writeChunked(out, floats.length, Float.BYTES, (buf, from, to) -> {
                for (int i = from; i < to; i++) {
                    buf.putFloat(floats[i]);
                }
            });
        } else if (ints != null) {
            writeChunked(out, ints.length, Integer.BYTES, (buf, from, to) -> {
                for (int i = from; i < to; i++) {
                    buf.putInt(ints[i]);
                }
            });
        } else {
            int width = Integer.parseInt(descr.substring(2));
            writeChunked(out, strings.size(), width * 4, (buf, from, to) -> {
                for (int i = from; i < to; i++) {
                    int[] cps = strings.get(i).codePoints().toArray();
                    for (int k = 0; k < width; k++) {
                        buf.putInt(k < cps.length ? cps[k] : 0);
                    }
                }
            });
        }
    }

    /** Reads one {@code .npy} stream (float32/64, int32/64 or unicode, C order, little-endian). */
    public static NpyArray read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(source + " is not a .npy array (no \\x93NUMPY magic)");
        }
        int major = data.readUnsignedByte();
        data.readUnsignedByte();
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
        } else {
            throw new IOException(source + ": .npy format version " + major + " is not supported");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        data.readFully(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, source, "descr");
        if ("True".equals(group(FORTRAN, header, source, "fortran_order"))) {
            throw new IOException(source + " is in Fortran order: save it with np.ascontiguousarray");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : group(SHAPE, header, source, "shape").split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(source + " holds " + count + " values, more than one Java array can");
        }
        int n = (int) count;
        String kind = descr.replace("|", "<");
        if (kind.startsWith(">")) {
            throw new IOException(source + " is big-endian (" + descr + "): save it with .astype('<f4')");
        }
        switch (kind) {
            case "<f4" -> {
                ByteBuffer b = readBytes(data, (long) n * 4, source);
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                return new NpyArray("<f4", shape, v, null, null);
            }
            case "<f8" -> {
                ByteBuffer b = readBytes(data, (long) n * 8, source);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) b.getDouble();
                }
                return new NpyArray("<f4", shape, v, null, null);
            }
            case "<i4" -> {
                ByteBuffer b = readBytes(data, (long) n * 4, source);
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                return new NpyArray("<i4", shape, null, v, null);
            }
            case "<i8" -> {
                ByteBuffer b = readBytes(data, (long) n * 8, source);
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Math.toIntExact(b.getLong());
                }
                return new NpyArray("<i4", shape, null, v, null);
            }
            default -> {
                if (!kind.startsWith("<U")) {
                    throw new IOException(source + " has dtype " + descr + "; codes files hold float32, int32 or"
                            + " unicode arrays");
                }
                int width = Integer.parseInt(kind.substring(2));
                ByteBuffer b = readBytes(data, (long) n * width * 4, source);
                List<String> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    StringBuilder s = new StringBuilder();
                    for (int k = 0; k < width; k++) {
                        int cp = b.getInt();
                        if (cp != 0) {
                            s.appendCodePoint(cp);
                        }
                    }
                    v.add(s.toString());
                }
                return new NpyArray(kind, shape, null, null, v);
            }
        }
    }

    private static String group(Pattern p, String header, String source, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": .npy header has no " + what + ": " + header.trim());
        }
        return m.group(1);
    }

    private static ByteBuffer readBytes(DataInputStream in, long length, String source) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(length)];
        try {
            in.readFully(bytes);
        } catch (java.io.EOFException e) {
            throw new IOException(source + " is truncated: its header promises " + length + " data bytes", e);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private interface Filler {
        void fill(ByteBuffer buf, int from, int to);
    }

    private static void writeChunked(OutputStream out, int count, int bytesPerItem, Filler filler)
            throws IOException {
        int perChunk = Math.max(1, (1 << 20) / bytesPerItem);
        ByteBuffer buf = ByteBuffer.allocate(perChunk * bytesPerItem).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < count; from += perChunk) {
            int to = Math.min(count, from + perChunk);
            buf.clear();
            filler.fill(buf, from, to);
            out.write(buf.array(), 0, buf.position());
        }
    }

    private static void check(int length, long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "npy %s %s", descr, Arrays.toString(shape));
    }

    /** The bytes of the array as a {@code .npy} file (for small arrays and tests). */
    byte[] toBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }
}
