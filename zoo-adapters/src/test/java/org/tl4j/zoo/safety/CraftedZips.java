package org.tl4j.zoo.safety;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Builds the hostile archives of {@link SafeModelLoaderTest}. {@link ZipOutputStream} refuses to write lying
 * sizes, so the zip64 "10 GB" archive is written byte by byte from the ZIP specification (APPNOTE 4.3.7, 4.3.12,
 * 4.5.3, 4.3.16); the others copy a real model zip's entries and add one.
 */
final class CraftedZips {

    private CraftedZips() {
    }

    /** The entries of {@code zip} plus {@code extra} (name -> bytes), written to {@code target}. */
    static Path withExtraEntries(Path zip, Map<String, byte[]> extra, Path target) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(entries(zip));
        entries.putAll(extra);
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile in = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                entries.put(entry.getName(), in.getInputStream(entry).readAllBytes());
            }
        }
        return entries;
    }

    /**
     * A one-entry zip whose entry declares {@code declaredSize} uncompressed bytes (through the zip64 extra field)
     * while holding a few deflated bytes.
     */
    static Path declaringSize(String name, long declaredSize, Path target) throws IOException {
        byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] content = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        byte[] buffer = new byte[64];
        int compressedLength = deflater.deflate(buffer);
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(content);

        ByteBuffer local = little(30 + nameBytes.length + 20);
        local.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 8)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue())
                .putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) nameBytes.length).putShort((short) 20)
                .put(nameBytes)
                .putShort((short) 1).putShort((short) 16).putLong(declaredSize).putLong(compressedLength);
        int centralOffset = local.capacity() + compressedLength;
        ByteBuffer central = little(46 + nameBytes.length + 20);
        central.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
                .putShort((short) 8).putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue())
                .putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) nameBytes.length).putShort((short) 20)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .put(nameBytes)
                .putShort((short) 1).putShort((short) 16).putLong(declaredSize).putLong(compressedLength);
        ByteBuffer end = little(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(central.capacity()).putInt(centralOffset).putShort((short) 0);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(local.array());
        out.write(buffer, 0, compressedLength);
        out.write(central.array());
        out.write(end.array());
        return Files.write(target, out.toByteArray());
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
