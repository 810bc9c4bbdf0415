package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and odd inputs beyond {@link ImageFolderTest}'s corpus: bombs in every supported format, names with
 * newlines and undecodable bytes, named pipes (which would block a reader), unreadable files. Every file ends in
 * the manifest with a status; nothing hangs.
 */
class ImageFolderHostileTest {

    private static final ScanOptions QUIET = ScanOptions.defaults().withProgress(false);

    @TempDir
    Path dir;

    @Test
    void bombsInEveryFormatAreRejectedBeforeDecoding() throws Exception {
        Path root = dir.resolve("data");
        Path bombs = Files.createDirectories(root.resolve("bombs"));
        TestImages.write(bombs, "huge.gif", gifClaiming(65_535, 65_535));
        TestImages.write(bombs, "huge.bmp", bmpClaiming(100_000, 100_000));
        TestImages.write(bombs, "huge.png", TestImages.pngClaiming(1_000_000, 1_000_000));
        TestImages.write(root.resolve("fine"), "a.png", TestImages.solidPng(2, 2, 0));
        for (Path bomb : Files.list(bombs).toList()) {
            assertTrue(Files.size(bomb) < 1_000, bomb + " is small");
        }

        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ImageFolder.scan(root, QUIET));

        Map<String, Manifest.Entry> e = byPath(m);
        assertTrue(e.get("bombs/huge.gif").reason().contains("65535x65535"), e.get("bombs/huge.gif").reason());
        assertTrue(e.get("bombs/huge.bmp").reason().contains("100000x100000"), e.get("bombs/huge.bmp").reason());
        assertTrue(e.get("bombs/huge.png").reason().contains("megapixel limit"), e.get("bombs/huge.png").reason());
        assertTrue(e.get("fine/a.png").ok());
    }

    @Test
    void oddNamesAreScannedAndSurviveTheManifest() throws Exception {
        Path root = dir.resolve("data");
        Path cls = Files.createDirectories(root.resolve("odd"));
        TestImages.write(cls, "line\nbreak.png", TestImages.solidPng(2, 2, 0));
        TestImages.write(cls, "tab\tand \"quotes\", commas.png", TestImages.solidPng(2, 2, 0));
        TestImages.write(cls, "caf\u00e9 \u732b.png", TestImages.solidPng(2, 2, 0));
        // Bytes that are not UTF-8 cannot be written from Java (it encodes names); the shell writes them raw.
        Process touch = new ProcessBuilder("bash", "-c", "touch \"$(printf 'bad\\377\\376name.png')\"")
                .directory(cls.toFile()).inheritIO().start();
        assertEquals(0, touch.waitFor());
        TestImages.write(root.resolve("other"), "b.png", TestImages.solidPng(2, 2, 0));

        Manifest m = ImageFolder.scan(root, QUIET);

        Map<String, Manifest.Entry> e = byPath(m);
        assertTrue(e.get("odd/line\nbreak.png").ok());
        assertTrue(e.get("odd/tab\tand \"quotes\", commas.png").ok());
        assertTrue(e.get("odd/caf\u00e9 \u732b.png").ok());
        Manifest.Entry undecodable = m.entries().stream().filter(x -> x.path().contains("\uFFFD")).findFirst()
                .orElseThrow(() -> new AssertionError("the undecodable name is not reported: " + e.keySet()));
        assertEquals(ImageFolder.UNDECODABLE_NAME, undecodable.reason());
        assertEquals(5, m.entries().size(), "every file is reported");
        for (String name : new String[] {"manifest.json", "manifest.csv"}) {
            Path saved = dir.resolve(name);
            m.save(saved);
            Manifest loaded = Manifest.load(saved);
            assertEquals(m.entries().stream().map(m::resolve).toList(),
                    loaded.entries().stream().map(loaded::resolve).toList(), name);
        }
    }

    @Test
    void namedPipesAreReportedNotOpened() throws Exception {
        Path root = dir.resolve("data");
        Path cls = Files.createDirectories(root.resolve("a"));
        Process mkfifo = new ProcessBuilder("mkfifo", cls.resolve("pipe.png").toString()).inheritIO().start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        TestImages.write(root.resolve("b"), "b.png", TestImages.solidPng(2, 2, 0));

        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ImageFolder.scan(root, QUIET),
                "reading a named pipe blocks forever");

        assertTrue(byPath(m).get("a/pipe.png").reason().contains("named pipe"), m.entries().toString());
    }

    @Test
    void unreadableFilesAreReported() throws Exception {
        // root reads any file whatever its mode (CAP_DAC_OVERRIDE), so this can only be shown as another user.
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root: chmod 000 does not stop root from reading; the test needs an ordinary user");
        Path root = dir.resolve("data");
        Path secret = TestImages.write(root.resolve("a"), "secret.png", TestImages.solidPng(2, 2, 0));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        TestImages.write(root.resolve("b"), "b.png", TestImages.solidPng(2, 2, 0));

        Manifest m = ImageFolder.scan(root, QUIET);

        assertTrue(byPath(m).get("a/secret.png").reason().contains("cannot read"), m.entries().toString());
    }

    @Test
    void symlinkLoopsAtEveryDepthEndTheScan() throws Exception {
        Path root = dir.resolve("data");
        Path deep = Files.createDirectories(root.resolve("a/x/y"));
        Files.createSymbolicLink(deep.resolve("up"), root.resolve("a"));
        Files.createSymbolicLink(deep.resolve("self"), deep);
        Files.createSymbolicLink(root.resolve("a/x/ping"), root.resolve("a/x/pong"));
        Files.createSymbolicLink(root.resolve("a/x/pong"), root.resolve("a/x/ping"));
        Files.createSymbolicLink(root.resolve("b"), root);
        TestImages.write(deep, "img.png", TestImages.solidPng(2, 2, 0));

        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ImageFolder.scan(root, QUIET));

        Map<String, Manifest.Entry> e = byPath(m);
        assertTrue(e.get("a/x/y/img.png").ok());
        assertTrue(e.get("a/x/y/up").reason().contains("loop"), e.toString());
        assertTrue(e.get("a/x/y/self").reason().contains("loop"), e.toString());
        assertFalse(e.get("a/x/ping").ok());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("symbolic link loop")), m.notes().toString());
    }

    private static Map<String, Manifest.Entry> byPath(Manifest m) {
        return m.entries().stream().collect(Collectors.toMap(Manifest.Entry::path, Function.identity()));
    }

    /** GIF89a with one image descriptor declaring {@code width}x{@code height} and a one-code LZW stream. */
    static byte[] gifClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
                .put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    /** A 24-bit BMP header declaring {@code width}x{@code height} followed by a few pixels. */
    static byte[] bmpClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(54 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 12).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        return out.toByteArray();
    }
}
