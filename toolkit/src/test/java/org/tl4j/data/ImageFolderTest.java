package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scanning folders: the corpus of odd and broken files, layouts, CSV manifests, saving and loading. */
class ImageFolderTest {

    @TempDir
    Path dir;

    private static final ScanOptions QUIET = ScanOptions.defaults().withProgress(false);

    private static Map<String, Manifest.Entry> byPath(Manifest m) {
        return m.entries().stream().collect(Collectors.toMap(Manifest.Entry::path, Function.identity()));
    }

    /** Writes the corpus: class "ok" with every supported kind of image, "broken" with every kind of failure. */
    private Path writeCorpus() throws Exception {
        Path root = dir.resolve("corpus");
        Path ok = root.resolve("ok");
        TestImages.write(ok, "rgb.png", TestImages.solidPng(7, 5, 0x102030));
        TestImages.write(ok, "gray.png", TestImages.encode(TestImages.gray(4, 3, (x, y) -> 100), "png"));
        TestImages.write(ok, "rgba.png", TestImages.encode(TestImages.rgba(3, 3, 0x336699, 10), "png"));
        TestImages.write(ok, "gray16.png", TestImages.encode(TestImages.gray16(5, 5, (x, y) -> 257 * 50), "png"));
        TestImages.write(ok, "rgb16.png", TestImages.encode(TestImages.rgb16(2, 2, 0, 65535, 0), "png"));
        TestImages.write(ok, "palette.png", TestImages.encode(TestImages.palette(4, 2, 0xFF0000, 0x00FF00), "png"));
        TestImages.write(ok, "one.png", TestImages.solidPng(1, 1, 0xFFFFFF));
        TestImages.write(ok, "picture.bmp", TestImages.encode(TestImages.rgb(3, 3, (x, y) -> 0xFF), "bmp"));
        TestImages.write(ok, "anim.gif", TestImages.encode(TestImages.palette(4, 4, 0, 0xFFFFFF), "gif"));
        TestImages.write(ok, "photo.jpg", TestImages.jpeg(TestImages.rgb(16, 8, (x, y) -> 0x808080)));
        TestImages.write(ok, "cmyk.jpg", TestImages.cmykJpeg(32, 16));
        TestImages.write(ok, "rotated.jpg", TestImages.withExifOrientation(
                TestImages.jpeg(TestImages.rgb(32, 16, (x, y) -> x < 16 ? 0xFF0000 : 0x0000FF)), 6));
        TestImages.write(ok, "deeper/nested/inner.png", TestImages.solidPng(2, 3, 0));
        TestImages.write(ok, ".hidden.png", TestImages.solidPng(2, 2, 0));
        TestImages.write(ok, ".cache/x.png", TestImages.solidPng(2, 2, 0));

        Path broken = root.resolve("broken");
        byte[] jpeg = TestImages.jpeg(TestImages.rgb(64, 64, (x, y) -> x << 18 | y << 2));
        byte[] png = TestImages.encode(TestImages.rgb(64, 64, (x, y) -> x << 18 | y << 10 | (x ^ y)), "png");
        TestImages.write(broken, "zero.jpg", new byte[0]);
        TestImages.write(broken, "text.png", "just some text, renamed\n".getBytes(StandardCharsets.UTF_8));
        TestImages.write(broken, "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        TestImages.write(broken, "truncated.png", Arrays.copyOf(png, png.length / 2));
        TestImages.write(broken, "bomb.png", TestImages.pngClaiming(40000, 40000));
        TestImages.write(broken, "bomb.jpg", TestImages.jpegClaiming(jpeg, 65000, 65000));
        TestImages.write(broken, "fine.png", TestImages.solidPng(2, 2, 0));
        Files.createSymbolicLink(broken.resolve("loop"), broken);
        Files.createSymbolicLink(broken.resolve("dangling.png"), broken.resolve("no-such-file.png"));

        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("README.txt"), "not an image\n");
        return root;
    }

    @Test
    void corpusOfOddAndBrokenFilesEndsInTheRightStatus() throws Exception {
        Path root = writeCorpus();
        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ImageFolder.scan(root, QUIET),
                "the scan must never hang");
        assertEquals(List.of("broken", "empty", "ok"), m.classes());
        Map<String, Manifest.Entry> e = byPath(m);

        for (String name : List.of("rgb.png", "gray.png", "rgba.png", "gray16.png", "rgb16.png", "palette.png",
                "one.png", "picture.bmp", "anim.gif", "photo.jpg", "cmyk.jpg", "rotated.jpg",
                "deeper/nested/inner.png")) {
            Manifest.Entry entry = e.get("ok/" + name);
            assertTrue(entry != null && entry.ok(), name + " should be usable: " + entry);
            assertEquals("ok", entry.label(), "nested folders belong to the top-level class folder");
            assertEquals(64, entry.sha256().length());
            assertEquals(Files.size(root.resolve("ok").resolve(name)), entry.bytes());
        }
        assertEquals(7, e.get("ok/rgb.png").width());
        assertEquals(5, e.get("ok/rgb.png").height());
        assertEquals(3, e.get("ok/rgb.png").channels());
        assertEquals(1, e.get("ok/gray.png").channels());
        assertEquals(4, e.get("ok/rgba.png").channels());
        assertEquals(4, e.get("ok/cmyk.jpg").channels());
        assertEquals(1, e.get("ok/one.png").width());
        assertEquals(16, e.get("ok/rotated.jpg").width(), "EXIF orientation 6 turns 32x16 into 16x32");
        assertEquals(32, e.get("ok/rotated.jpg").height());
        assertTrue(e.keySet().stream().noneMatch(p -> p.contains(".hidden") || p.contains(".cache")),
                "hidden files and folders are skipped");

        ImageDecoder decoder = new ImageDecoder();
        DecodedImage cmyk = decoder.decode(root.resolve("ok/cmyk.jpg"));
        assertTrue(cmyk.sample(4, 8, 0) > 240 && cmyk.sample(4, 8, 1) < 15, "CMYK red reads as RGB red");
        DecodedImage rotated = decoder.decode(root.resolve("ok/rotated.jpg"));
        assertTrue(rotated.sample(8, 4, 0) > 240 && rotated.sample(8, 28, 2) > 240, "EXIF rotation applied");
        assertEquals(50, decoder.decode(root.resolve("ok/gray16.png")).sample(2, 2, 0), "16-bit 257*50 -> 50");
        assertEquals(255, decoder.decode(root.resolve("ok/palette.png")).sample(0, 0, 0), "palette entry 0 is red");

        assertRejected(e, "broken/zero.jpg", "empty file");
        assertRejected(e, "broken/text.png", "not an image");
        assertRejected(e, "broken/truncated.jpg", "truncated");
        assertRejected(e, "broken/truncated.png", "truncated");
        assertRejected(e, "broken/bomb.png", "40000x40000");
        assertRejected(e, "broken/bomb.jpg", "65000x65000");
        assertRejected(e, "broken/loop", "symbolic link loop");
        assertRejected(e, "broken/dangling.png", "broken symbolic link");
        assertTrue(e.get("broken/fine.png").ok());

        assertEquals(Map.of("broken", 1, "empty", 0, "ok", 13), m.countsPerClass());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("hidden")), m.notes().toString());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("README.txt")), m.notes().toString());
        DatasetSummary summary = DatasetSummary.of(m);
        assertTrue(summary.warnings().stream().anyMatch(w -> w.contains("'empty' has no usable images")));
        assertEquals(Double.POSITIVE_INFINITY, summary.imbalanceRatio());
        assertEquals(8, summary.rejected().size());
    }

    private static void assertRejected(Map<String, Manifest.Entry> entries, String path, String reason) {
        Manifest.Entry entry = entries.get(path);
        assertTrue(entry != null, path + " should be in the manifest");
        assertFalse(entry.ok(), path + " should be rejected");
        assertTrue(entry.reason().contains(reason), path + ": expected a reason with '" + reason + "', got '"
                + entry.reason() + "'");
        assertEquals(0, entry.width());
    }

    @Test
    void missingFolderAndFolderWithoutClassesAreClearErrors() throws Exception {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> ImageFolder.scan(dir.resolve("nope"), QUIET));
        assertTrue(missing.getMessage().contains("nope"));
        Files.writeString(dir.resolve("a.png"), "x");
        InvalidInputException noClasses = assertThrows(InvalidInputException.class, () -> ImageFolder.scan(dir, QUIET));
        assertTrue(noClasses.getMessage().contains("no class folders"), noClasses.getMessage());
    }

    @Test
    void singleClassScansButSaysSo() throws Exception {
        TestImages.write(dir.resolve("only"), "a.png", TestImages.solidPng(2, 2, 0));
        Manifest m = ImageFolder.scan(dir, QUIET);
        assertEquals(List.of("only"), m.classes());
        assertTrue(DatasetSummary.of(m).warnings().get(0).contains("only one class"));
    }

    @Test
    void trainValTestLayoutGivesPresetSplits() throws Exception {
        for (String split : List.of("train", "val", "test")) {
            for (String cls : List.of("cat", "dog")) {
                TestImages.write(dir.resolve(split).resolve(cls), "a.png", TestImages.solidPng(2, 2, 0));
            }
        }
        Manifest m = ImageFolder.scan(dir, QUIET);
        assertEquals(List.of("cat", "dog"), m.classes());
        assertTrue(m.hasPresetSplits());
        Manifest.Entry e = byPath(m).get("val/dog/a.png");
        assertEquals("dog", e.label());
        assertEquals("val", e.split());
    }

    @Test
    void csvManifestWithPathsRelativeToTheCsv() throws Exception {
        TestImages.write(dir.resolve("imgs"), "one.png", TestImages.solidPng(3, 2, 0));
        TestImages.write(dir.resolve("imgs"), "two, with comma.png", TestImages.solidPng(2, 2, 0));
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "path,label\nimgs/one.png,cat\n\"imgs/two, with comma.png\",dog\nimgs/gone.png,dog\n");
        Manifest m = ImageFolder.scan(csv, QUIET);
        assertEquals(List.of("cat", "dog"), m.classes());
        Map<String, Manifest.Entry> e = byPath(m);
        assertEquals(3, e.get("imgs/one.png").width());
        assertTrue(e.get("imgs/two, with comma.png").ok());
        assertTrue(e.get("imgs/gone.png").reason().contains("does not exist"));
        assertNull(e.get("imgs/one.png").split());
    }

    @Test
    void csvWithABadLineNamesTheLine() throws Exception {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "a.png,cat\nb.png\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFolder.scan(csv, QUIET));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void manifestRoundTripsThroughJsonAndCsv() throws Exception {
        TestImages.write(dir.resolve("data/cat"), "a.png", TestImages.solidPng(3, 2, 0));
        TestImages.write(dir.resolve("data/dog"), "b.png", TestImages.solidPng(2, 2, 0));
        TestImages.write(dir.resolve("data/dog"), "bad.png", new byte[0]);
        Manifest m = ImageFolder.scan(dir.resolve("data"), QUIET);

        Path json = dir.resolve("out/manifest.json");
        m.save(json);
        Manifest fromJson = Manifest.load(json);
        assertEquals(m.entries(), fromJson.entries());
        assertEquals(m.classes(), fromJson.classes());
        assertEquals(m.root(), fromJson.root());
        assertEquals(m.dataHash(), fromJson.dataHash());
        assertTrue(Files.list(dir.resolve("out")).allMatch(p -> p.getFileName().toString().equals("manifest.json")),
                "no temporary file is left behind");

        Path csv = dir.resolve("out/manifest.csv");
        m.save(csv);
        Manifest fromCsv = Manifest.load(csv);
        assertEquals(3, fromCsv.entries().size());
        Manifest.Entry a = fromCsv.entries().stream().filter(x -> x.path().endsWith("cat/a.png")).findFirst()
                .orElseThrow();
        assertEquals(3, a.width());
        assertNull(a.reason(), "empty CSV cells read back as absent values");
        assertFalse(fromCsv.hasPresetSplits());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(csv)), "saved files are readable like any other file");
        assertTrue(Files.exists(fromCsv.resolve(a)), "CSV paths resolve relative to the CSV's folder");
        assertEquals("empty file (0 bytes)", fromCsv.rejected().get(0).reason());
        // A saved CSV manifest is also a valid path,label input.
        assertEquals(2, ImageFolder.scan(csv, QUIET).okEntries().size());
    }
}
