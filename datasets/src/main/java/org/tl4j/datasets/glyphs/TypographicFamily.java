package org.tl4j.datasets.glyphs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads a font's typographic family (OpenType 'name' table, name ID 16), e.g. "Lato" for Lato-Light.ttf, whose
 * legacy family (name ID 1, what {@code Font.getFamily()} returns) is "Lato Light".
 *
 * <p>Written by hand because Java's font API exposes only the legacy family, and no font library is worth a
 * dependency for one table lookup. The family split needs the typographic family: with the legacy one, "Lato" could
 * land in train and "Lato Light" in validation, the same design on both sides.
 */
final class TypographicFamily {

    private static final int TYPOGRAPHIC_FAMILY = 16;
    private static final int PLATFORM_MAC = 1;
    private static final int PLATFORM_WINDOWS = 3;
    private static final int WINDOWS_ENGLISH_US = 0x0409;

    private TypographicFamily() {
    }

    /** The typographic family, if the file has a readable 'name' table with name ID 16. */
    static Optional<String> of(Path fontFile) {
        try (FileChannel channel = FileChannel.open(fontFile, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 0, 12);
            int tables = header.getShort(4) & 0xFFFF;
            ByteBuffer directory = read(channel, 12, 16L * tables);
            for (int t = 0; t < tables; t++) {
                int base = 16 * t;
                String tag = new String(new byte[] {directory.get(base), directory.get(base + 1), directory.get(base + 2),
                        directory.get(base + 3)}, StandardCharsets.US_ASCII);
                if (tag.equals("name")) {
                    long offset = directory.getInt(base + 8) & 0xFFFFFFFFL;
                    long length = directory.getInt(base + 12) & 0xFFFFFFFFL;
                    return fromNameTable(read(channel, offset, length));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unusual file layout: the caller falls back to Font.getFamily()
        }
    }

    private static Optional<String> fromNameTable(ByteBuffer name) {
        int count = name.getShort(2) & 0xFFFF;
        int strings = name.getShort(4) & 0xFFFF;
        String windowsAny = null;
        String mac = null;
        for (int r = 0; r < count; r++) {
            int at = 6 + 12 * r;
            int platform = name.getShort(at) & 0xFFFF;
            int encoding = name.getShort(at + 2) & 0xFFFF;
            int language = name.getShort(at + 4) & 0xFFFF;
            int nameId = name.getShort(at + 6) & 0xFFFF;
            int length = name.getShort(at + 8) & 0xFFFF;
            int offset = name.getShort(at + 10) & 0xFFFF;
            if (nameId != TYPOGRAPHIC_FAMILY) {
                continue;
            }
            byte[] bytes = new byte[length];
            name.get(strings + offset, bytes);
            if (platform == PLATFORM_WINDOWS && (encoding == 1 || encoding == 10)) {
                String value = new String(bytes, StandardCharsets.UTF_16BE).trim();
                if (language == WINDOWS_ENGLISH_US && !value.isEmpty()) {
                    return Optional.of(value);
                }
                windowsAny = windowsAny == null ? value : windowsAny;
            } else if (platform == PLATFORM_MAC && encoding == 0) {
                mac = new String(bytes, StandardCharsets.ISO_8859_1).trim();
            }
        }
        String found = windowsAny != null && !windowsAny.isEmpty() ? windowsAny : mac;
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found);
    }

    private static ByteBuffer read(FileChannel channel, long position, long length) throws IOException {
        if (length > 16 << 20) {
            throw new IOException("implausible table length " + length);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("file ends inside a table");
            }
        }
        return buffer.flip();
    }
}
