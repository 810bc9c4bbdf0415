package org.tl4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One split's cached trunk outputs on disk, read through a memory map so a split larger than the heap can be
 * trained from. Written by {@link Writer} batch by batch to a temporary file that is renamed into place only
 * when complete; {@link #open} checks everything it can and throws {@link FeatureFileCorruptException} rather
 * than return data it cannot vouch for.
 *
 * <p>Format (version 1), every number little-endian:
 * <pre>
 * header   8 bytes  magic "TL4JFEAT"
 *          int32    format version (1)
 *          int32    dtype (1 = float32)
 *          int64    rows (images)
 *          int32    feature length d (floats per row)
 *          int32    number of classes
 *          int32    rank r of one row's activation, then r x int32 its shape (e.g. 128 4 4, or 512 when pooled)
 *          int32    key length k, then k bytes UTF-8: {@link FeatureCacheKey#describe()}
 *          int32    CRC32C of the header bytes above
 * body     rows x d float32   features, row-major (a row is the activation flattened in C order, i.e. CHW)
 *          rows x int32       labels (class index)
 *          int32    CRC32C of the body bytes above
 * trailer  8 bytes  magic "TL4JEND\n"
 * </pre>
 * In numpy: {@code np.memmap(f, '<f4', 'r', offset=header_length, shape=(rows, d))}.
 */
public final class FeatureFile implements AutoCloseable {

    /** Format version written and read. */
    public static final int FORMAT_VERSION = 1;
    static final byte[] MAGIC = "TL4JFEAT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "TL4JEND\n".getBytes(StandardCharsets.US_ASCII);
    static final int DTYPE_FLOAT32 = 1;
    /** Largest header accepted on reading: keys are a few hundred bytes. */
    private static final int MAX_HEADER = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final String key;
    private final long rows;
    private final int featureLength;
    private final int classes;
    private final long[] shape;
    private final int[] labels;
    private final long featuresOffset;
    /** The features region mapped in pieces of whole rows, each under 2 GiB (a MappedByteBuffer's limit). */
    private final List<FloatBuffer> segments = new ArrayList<>();
    private final int rowsPerSegment;

    private FeatureFile(Path file, FileChannel channel, String key, long rows, int featureLength, int classes,
                        long[] shape, int[] labels, long featuresOffset) throws IOException {
        this.file = file;
        this.channel = channel;
        this.key = key;
        this.rows = rows;
        this.featureLength = featureLength;
        this.classes = classes;
        this.shape = shape;
        this.labels = labels;
        this.featuresOffset = featuresOffset;
        long rowBytes = (long) featureLength * Float.BYTES;
        this.rowsPerSegment = (int) Math.max(1, Math.min(rows, Integer.MAX_VALUE / Math.max(1, rowBytes)));
        for (long from = 0; from < rows; from += rowsPerSegment) {
            long count = Math.min(rowsPerSegment, rows - from);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, featuresOffset + from * rowBytes,
                    count * rowBytes);
            segments.add(map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
        }
    }

    /**
     * Opens and fully checks a cache file: magic, version, header checksum, that it was made for {@code
     * expectedKey}, its length, and the body checksum (one sequential read of the file).
     *
     * @throws FeatureFileCorruptException when any check fails
     */
    public static FeatureFile open(Path file, String expectedKey) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean ok = false;
        try {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, head, 0);
            head.flip();
            Header h = Header.parse(file, head);
            if (!h.key.equals(expectedKey)) {
                throw new FeatureFileCorruptException(file, "made for another key (" + firstDifference(h.key,
                        expectedKey) + ")");
            }
            long bodyBytes = h.rows * h.featureLength * Float.BYTES + h.rows * Integer.BYTES;
            long expected = h.length + bodyBytes + Integer.BYTES + END_MAGIC.length;
            if (size != expected) {
                throw new FeatureFileCorruptException(file, "is " + size + " bytes, its header promises " + expected
                        + " (" + h.rows + " rows of " + h.featureLength + " floats): truncated or damaged");
            }
            CRC32C crc = new CRC32C();
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = h.length; pos < h.length + bodyBytes; ) {
                chunk.clear();
                chunk.limit((int) Math.min(chunk.capacity(), h.length + bodyBytes - pos));
                readFully(channel, chunk, pos);
                pos += chunk.limit();
                chunk.flip();
                crc.update(chunk);
            }
            ByteBuffer tail = ByteBuffer.allocate(Integer.BYTES + END_MAGIC.length).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, tail, h.length + bodyBytes);
            tail.flip();
            if (tail.getInt() != (int) crc.getValue()) {
                throw new FeatureFileCorruptException(file, "body checksum does not match: damaged");
            }
            byte[] end = new byte[END_MAGIC.length];
            tail.get(end);
            if (!Arrays.equals(end, END_MAGIC)) {
                throw new FeatureFileCorruptException(file, "end marker missing: damaged");
            }
            ByteBuffer labelBytes = ByteBuffer.allocate((int) (h.rows * Integer.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, labelBytes, h.length + h.rows * h.featureLength * Float.BYTES);
            labelBytes.flip();
            int[] labels = new int[(int) h.rows];
            labelBytes.asIntBuffer().get(labels);
            for (int label : labels) {
                if (label < 0 || label >= h.classes) {
                    throw new FeatureFileCorruptException(file, "label " + label + " outside 0.." + (h.classes - 1));
                }
            }
            FeatureFile opened = new FeatureFile(file, channel, h.key, h.rows, h.featureLength, h.classes, h.shape,
                    labels, h.length);
            ok = true;
            return opened;
        } finally {
            if (!ok) {
                channel.close();
            }
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The key text the file was made for ({@link FeatureCacheKey#describe()}). */
    public String key() {
        return key;
    }

    /** Number of images. */
    public int rows() {
        return (int) rows;
    }

    /** Floats per image. */
    public int featureLength() {
        return featureLength;
    }

    /** Number of classes (one-hot width). */
    public int classes() {
        return classes;
    }

    /** Shape of one image's activation (before flattening). */
    public long[] shape() {
        return shape.clone();
    }

    /** Class index of a row. */
    public int label(int row) {
        return labels[row];
    }

    /** Copies a row's features into {@code dest} from {@code offset}. */
    public void readRow(int row, float[] dest, int offset) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        FloatBuffer segment = segments.get(row / rowsPerSegment);
        segment.get((row % rowsPerSegment) * featureLength, dest, offset, featureLength);
    }

    /** Releases the file handle (the memory map goes when it is garbage-collected). */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Starts writing a cache file: rows are streamed to a temporary file beside {@code target}, which
     * {@link Writer#commit()} completes and renames over the target.
     *
     * @param key     the key text to store ({@link FeatureCacheKey#describe()})
     * @param classes number of classes
     */
    public static Writer create(Path target, String key, int classes) throws IOException {
        return new Writer(target.toAbsolutePath(), key, classes);
    }

    /** Streams rows into a new cache file; nothing appears at the target until {@link #commit()}. */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final String key;
        private final int classes;
        private final CRC32C bodyCrc = new CRC32C();
        private ByteBuffer header;
        private long[] shape;
        private int featureLength = -1;
        private int[] labels = new int[1024];
        private long rows;
        private boolean done;

        private Writer(Path target, String key, int classes) throws IOException {
            if (classes <= 0) {
                throw new IllegalArgumentException("classes must be positive, got " + classes);
            }
            this.target = target;
            this.key = key;
            this.classes = classes;
            Path folder = target.getParent();
            Files.createDirectories(folder);
            this.temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        }

        /**
         * Appends a batch.
         *
         * @param features [n, ...] activations; each row is flattened in C order
         * @param batchLabels class index of each row
         */
        public void append(INDArray features, int[] batchLabels) throws IOException {
            long n = features.size(0);
            if (n != batchLabels.length) {
                throw new IllegalArgumentException(n + " feature rows but " + batchLabels.length + " labels");
            }
            long[] rowShape = Arrays.copyOfRange(features.shape(), 1, features.rank());
            if (shape == null) {
                shape = rowShape;
                long length = 1;
                for (long s : rowShape) {
                    length *= s;
                }
                if (length <= 0 || length > Integer.MAX_VALUE / Float.BYTES) {
                    throw new IllegalArgumentException("feature length " + length + " per row is not supported");
                }
                featureLength = (int) length;
                header = headerBytes(0);
                channel.position(header.remaining());
            } else if (!Arrays.equals(shape, rowShape)) {
                throw new IllegalArgumentException("batch rows have shape " + Arrays.toString(rowShape)
                        + ", earlier rows " + Arrays.toString(shape));
            }
            for (int label : batchLabels) {
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1));
                }
            }
            float[] values = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            writeBody(bytes);
            if (rows + n > labels.length) {
                labels = Arrays.copyOf(labels, (int) Math.max(labels.length * 2L, rows + n));
            }
            System.arraycopy(batchLabels, 0, labels, (int) rows, (int) n);
            rows += n;
        }

        /** Rows appended so far. */
        public long rows() {
            return rows;
        }

        /** Writes labels, checksums and header, syncs, and renames the file into place. */
        public void commit() throws IOException {
            if (shape == null) {
                throw new IllegalStateException("no rows were appended to " + target);
            }
            ByteBuffer labelBytes = ByteBuffer.allocate((int) rows * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            labelBytes.asIntBuffer().put(labels, 0, (int) rows);
            writeBody(labelBytes);
            ByteBuffer tail = ByteBuffer.allocate(Integer.BYTES + END_MAGIC.length).order(ByteOrder.LITTLE_ENDIAN);
            tail.putInt((int) bodyCrc.getValue()).put(END_MAGIC).flip();
            writeFully(tail);
            ByteBuffer finalHeader = headerBytes(rows);
            while (finalHeader.hasRemaining()) {
                channel.write(finalHeader, finalHeader.position());
            }
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        }

        /** Discards the temporary file unless {@link #commit()} succeeded. */
        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                channel.close();
            }
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }

        private void writeBody(ByteBuffer bytes) throws IOException {
            bodyCrc.update(bytes.duplicate());
            writeFully(bytes);
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        private ByteBuffer headerBytes(long rowCount) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            int length = MAGIC.length + 4 + 4 + 8 + 4 + 4 + 4 + 4 * shape.length + 4 + keyBytes.length + 4;
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).putInt(FORMAT_VERSION).putInt(DTYPE_FLOAT32).putLong(rowCount).putInt(featureLength)
                    .putInt(classes).putInt(shape.length);
            for (long s : shape) {
                b.putInt((int) s);
            }
            b.putInt(keyBytes.length).put(keyBytes);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            b.putInt((int) crc.getValue());
            return b.flip();
        }
    }

    /** The parsed header. */
    private record Header(long rows, int featureLength, int classes, long[] shape, String key, int length) {

        static Header parse(Path file, ByteBuffer b) throws FeatureFileCorruptException {
            try {
                byte[] magic = new byte[MAGIC.length];
                b.get(magic);
                if (!Arrays.equals(magic, MAGIC)) {
                    throw new FeatureFileCorruptException(file, "not a tl4j feature cache (no TL4JFEAT magic)");
                }
                int version = b.getInt();
                if (version != FORMAT_VERSION) {
                    throw new FeatureFileCorruptException(file, "format version " + version + ", this tl4j reads "
                            + FORMAT_VERSION);
                }
                int dtype = b.getInt();
                long rows = b.getLong();
                int featureLength = b.getInt();
                int classes = b.getInt();
                int rank = b.getInt();
                if (dtype != DTYPE_FLOAT32 || rows < 0 || rows > Integer.MAX_VALUE || featureLength <= 0
                        || classes <= 0 || rank <= 0 || rank > 8) {
                    throw new FeatureFileCorruptException(file, "header values out of range (dtype " + dtype
                            + ", rows " + rows + ", length " + featureLength + ", classes " + classes + ", rank "
                            + rank + ")");
                }
                long[] shape = new long[rank];
                long product = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = b.getInt();
                    product *= shape[i];
                }
                int keyLength = b.getInt();
                if (keyLength < 0 || keyLength > b.remaining()) {
                    throw new FeatureFileCorruptException(file, "key length " + keyLength + " out of range");
                }
                byte[] keyBytes = new byte[keyLength];
                b.get(keyBytes);
                int headerEnd = b.position();
                int storedCrc = b.getInt();
                CRC32C crc = new CRC32C();
                crc.update(b.array(), 0, headerEnd);
                if (storedCrc != (int) crc.getValue()) {
                    throw new FeatureFileCorruptException(file, "header checksum does not match: damaged");
                }
                if (product != featureLength) {
                    throw new FeatureFileCorruptException(file, "shape " + Arrays.toString(shape)
                            + " does not hold " + featureLength + " floats");
                }
                return new Header(rows, featureLength, classes, shape, new String(keyBytes, StandardCharsets.UTF_8),
                        b.position());
            } catch (java.nio.BufferUnderflowException e) {
                throw new FeatureFileCorruptException(file, "header is cut short: truncated");
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, pos);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static String firstDifference(String stored, String expected) {
        String[] a = stored.split("\n");
        String[] b = expected.split("\n");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "stored " + a[i] + ", wanted " + b[i];
            }
        }
        return "stored key has " + a.length + " lines, wanted " + b.length;
    }
}
