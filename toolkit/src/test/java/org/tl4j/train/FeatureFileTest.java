package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeatureFileTest {

    private static final String KEY = "tl4j-feature-cache-key 1\nadapter=test\n";

    @TempDir
    Path dir;

    /** Rows of shape [2, 1, 3]: row r holds r*10 + 0..5. */
    static Path write(Path file, String key, int rows, int batch) throws IOException {
        try (FeatureFile.Writer w = FeatureFile.create(file, key, 3)) {
            for (int from = 0; from < rows; from += batch) {
                int n = Math.min(batch, rows - from);
                INDArray x = Nd4j.create(DataType.FLOAT, n, 2, 1, 3);
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 6; j++) {
                        x.putScalar(new long[] {i, j / 3, 0, j % 3}, (from + i) * 10 + j);
                    }
                    labels[i] = (from + i) % 3;
                }
                w.append(x, labels);
            }
            w.commit();
        }
        return file;
    }

    @Test
    void roundTripKeepsRowsShapeAndLabels() throws IOException {
        Path file = write(dir.resolve("x.feat"), KEY, 7, 3);
        try (FeatureFile f = FeatureFile.open(file, KEY)) {
            assertEquals(7, f.rows());
            assertEquals(6, f.featureLength());
            assertEquals(3, f.classes());
            assertArrayEquals(new long[] {2, 1, 3}, f.shape());
            float[] row = new float[6];
            for (int r = 0; r < 7; r++) {
                f.readRow(r, row, 0);
                for (int j = 0; j < 6; j++) {
                    assertEquals(r * 10 + j, row[j], "row " + r + " value " + j);
                }
                assertEquals(r % 3, f.label(r));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void headerIsTheDocumentedLittleEndianLayout() throws IOException {
        Path file = write(dir.resolve("x.feat"), KEY, 2, 2);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("TL4JFEAT", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(2L, b.getLong());
        assertEquals(6, b.getInt());
        assertEquals(3, b.getInt());
        assertEquals(3, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(3, b.getInt());
        int keyLength = b.getInt();
        b.position(b.position() + keyLength + 4);
        assertEquals(0f, b.getFloat());
        assertEquals(1f, b.getFloat());
        b.position(b.position() + 4 * 10);
        assertEquals(0, b.getInt(), "labels follow the features");
        assertEquals(1, b.getInt());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path file = write(dir.resolve("x.feat"), KEY, 5, 5);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 20);
        }
        FeatureFileCorruptException e = assertThrows(FeatureFileCorruptException.class,
                () -> FeatureFile.open(file, KEY));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(30);
        }
        assertThrows(FeatureFileCorruptException.class, () -> FeatureFile.open(file, KEY));
    }

    @Test
    void flippedByteInBodyOrHeaderIsRejected() throws IOException {
        Path file = write(dir.resolve("x.feat"), KEY, 5, 5);
        long size = Files.size(file);
        for (long offset : new long[] {size - 40, size - 20, 20}) {
            write(file, KEY, 5, 5);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(offset);
                int v = raf.read();
                raf.seek(offset);
                raf.write(v ^ 0x10);
            }
            assertThrows(FeatureFileCorruptException.class, () -> FeatureFile.open(file, KEY),
                    "byte " + offset);
        }
    }

    @Test
    void fileForAnotherKeyIsRejected() throws IOException {
        Path file = write(dir.resolve("x.feat"), KEY, 2, 2);
        FeatureFileCorruptException e = assertThrows(FeatureFileCorruptException.class,
                () -> FeatureFile.open(file, KEY.replace("test", "other")));
        assertTrue(e.getMessage().contains("adapter=other"), e.getMessage());
    }

    @Test
    void unfinishedWriteLeavesNothing() throws IOException {
        Path file = dir.resolve("x.feat");
        try (FeatureFile.Writer w = FeatureFile.create(file, KEY, 2)) {
            w.append(Nd4j.ones(DataType.FLOAT, 2, 4), new int[] {0, 1});
        }
        assertFalse(Files.exists(file));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
