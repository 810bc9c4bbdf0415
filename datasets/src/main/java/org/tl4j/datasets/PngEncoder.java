package org.tl4j.datasets;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes 8-bit grayscale images as PNG.
 *
 * <p>Written by hand on purpose: ImageIO's PNG writer costs about 250 microseconds per 28x28 image on this
 * project's 2-core machines (plug-in lookup, metadata, stream wrappers), which is most of the time it takes to
 * write Fashion-MNIST's 70,000 files; this encoder does the same work (one IHDR, one zlib IDAT, IEND, no
 * filtering) in about 10. The output is a plain PNG any decoder reads; tests decode it with ImageIO.
 */
public final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int BIT_DEPTH = 8;
    private static final int COLOR_TYPE_GRAY = 0;

    private PngEncoder() {
    }

    public static byte[] encode(GrayImage image) {
        int w = image.width();
        int h = image.height();
        // Each scanline starts with its filter type; 0 = none (filtering gains little on images this small).
        byte[] raw = new byte[(w + 1) * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), y * w, raw, y * (w + 1) + 1, w);
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        byte[] compressed;
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream zlib = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buffer = new byte[Math.max(256, raw.length)];
            while (!deflater.finished()) {
                zlib.write(buffer, 0, deflater.deflate(buffer));
            }
            compressed = zlib.toByteArray();
        } finally {
            deflater.end();
        }
        ByteBuffer header = ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) BIT_DEPTH).put((byte) COLOR_TYPE_GRAY).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.length + 64);
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", compressed);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
