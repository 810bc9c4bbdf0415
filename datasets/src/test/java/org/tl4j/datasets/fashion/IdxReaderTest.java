package org.tl4j.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.Sha256;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** A 3 x 2 x 2 unsigned-byte IDX array holding 0..11, written the way MNIST files are laid out. */
    private static byte[] tinyImages() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, 3});
        out.writeInt(3);
        out.writeInt(2);
        out.writeInt(2);
        for (int i = 0; i < 12; i++) {
            out.writeByte(i * 20);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsDimensionsAndValuesOfAPlainIdxFile() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte"), tinyImages());
        IdxArray array = IdxReader.read(file);
        assertArrayEquals(new int[] {3, 2, 2}, array.dims());
        assertEquals(3, array.count());
        assertEquals(4, array.itemSize());
        assertArrayEquals(new byte[] {80, 100, 120, (byte) 140}, array.item(1));
        assertEquals(Sha256.of(tinyImages()), array.contentSha256());
    }

    @Test
    void readsGzipCompressedFilesToTheSameContent() throws IOException {
        Path file = dir.resolve("images-idx3-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(tinyImages());
        }
        IdxArray array = IdxReader.read(file);
        assertArrayEquals(new int[] {3, 2, 2}, array.dims());
        assertEquals(220, array.data()[11] & 0xFF);
        assertEquals(Sha256.of(tinyImages()), array.contentSha256(), "the content hash must not depend on compression");
    }

    @Test
    void readsLabelsAsOneDimensionalArrays() throws IOException {
        Path file = Files.write(dir.resolve("labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4});
        IdxArray labels = IdxReader.read(file);
        assertEquals(3, labels.count());
        assertEquals(9, labels.value(0));
        assertEquals(4, labels.value(2));
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws IOException {
        byte[] whole = tinyImages();
        Path file = Files.write(dir.resolve("cut-idx3-ubyte"), Arrays.copyOf(whole, whole.length - 3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("cut-idx3-ubyte") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void nonIdxFileIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello, not IDX");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void extraBytesAfterTheDataAreRejected() throws IOException {
        byte[] whole = tinyImages();
        Path file = Files.write(dir.resolve("long-idx3-ubyte"), Arrays.copyOf(whole, whole.length + 1));
        assertThrows(DatasetException.class, () -> IdxReader.read(file));
    }
}
