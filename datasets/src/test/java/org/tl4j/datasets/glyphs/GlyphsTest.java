package org.tl4j.datasets.glyphs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.datasets.DatasetManifest;
import org.tl4j.datasets.GrayImage;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;

class GlyphsTest {

    @TempDir
    Path dir;

    private Path fonts() throws IOException {
        return TestFonts.folderWith(dir,
                TestFonts.require(TestFonts.DEJAVU_SANS, "fonts-dejavu-core"),
                TestFonts.require(TestFonts.DEJAVU_SANS_BOLD, "fonts-dejavu-core"),
                TestFonts.require(TestFonts.DEJAVU_SERIF, "fonts-dejavu-core"),
                TestFonts.require(TestFonts.DINGBATS, "fonts-urw-base35"));
    }

    private PreparedDataset prepare(Path fonts, String out, long seed, double valFamilies) {
        PrepareOptions options = PrepareOptions.defaults(dir.resolve(out)).withSeed(seed).withThreads(2);
        return Glyphs.prepare(options, new GlyphOptions(fonts, 1, null, valFamilies));
    }

    @Test
    void sameSeedGivesTheSameImagesAndAnotherSeedOthers() throws IOException {
        Path fonts = fonts();
        Map<String, byte[]> first = files(prepare(fonts, "a", 5, 0.5).folder());
        Map<String, byte[]> again = files(prepare(fonts, "b", 5, 0.5).folder());
        Map<String, byte[]> other = files(prepare(fonts, "c", 6, 0.5).folder());
        assertEquals(3 * 62, first.size(), "3 Latin fonts x 62 characters; the dingbat font is left out");
        assertEquals(first.keySet(), again.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), again.get(name), name + " differs between two runs with one seed");
        }
        long differing = first.keySet().stream()
                .filter(name -> other.containsKey(name) && !java.util.Arrays.equals(first.get(name), other.get(name))).count();
        assertTrue(differing > 100, "another seed must vary the augmentation; only " + differing + " images differ");
    }

    @Test
    void wholeFamiliesAreHeldOutForValidation() throws IOException {
        PreparedDataset result = prepare(fonts(), "set", 1, 0.5);
        Map<String, Object> manifest = DatasetManifest.read(result.folder());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> used = (List<Map<String, Object>>) manifest.get("fonts");
        assertEquals(3, used.size());
        Map<String, Set<Object>> splitsOfFamily = new TreeMap<>();
        for (Map<String, Object> font : used) {
            splitsOfFamily.computeIfAbsent((String) font.get("family"), f -> new HashSet<>()).add(font.get("split"));
            assertEquals(64, ((String) font.get("sha256")).length());
        }
        assertEquals(Set.of("DejaVu Sans", "DejaVu Serif"), splitsOfFamily.keySet());
        splitsOfFamily.forEach((family, splits) -> assertEquals(1, splits.size(), family + " is in both splits"));
        assertEquals(2, result.counts().size(), "both train and val are written: " + result.counts());
        String valFamily = used.stream().filter(f -> f.get("split").equals("val")).map(f -> (String) f.get("family")).findFirst().orElseThrow();
        try (Stream<Path> valFiles = Files.walk(result.folder().resolve("val"))) {
            List<String> names = valFiles.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            String stem = valFamily.equals("DejaVu Sans") ? "DejaVuSans" : "DejaVuSerif";
            assertTrue(names.stream().allMatch(n -> n.startsWith(stem + "-") || n.startsWith(stem + "-Bold")), names.toString());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) manifest.get("rejectedFonts");
        assertTrue(rejected.stream().anyMatch(r -> ((String) r.get("path")).endsWith("D050000L.otf")), rejected.toString());
    }

    @Test
    void familySplitHoldsOutAboutTenPercentOfFamiliesReproducibly() {
        List<GlyphFont> fonts = new ArrayList<>();
        for (int family = 0; family < 30; family++) {
            for (int style = 0; style < 3; style++) {
                fonts.add(new GlyphFont(Path.of("f" + family + "-" + style + ".ttf"), "0".repeat(64), "Family " + family,
                        "Family " + family + " " + style, "Family " + family + " " + style, null, 62));
            }
        }
        Set<String> held = FamilySplit.heldOutFamilies(fonts, 0.1, 9);
        assertEquals(3, held.size());
        assertEquals(held, FamilySplit.heldOutFamilies(fonts, 0.1, 9));
        assertNotEquals(held, FamilySplit.heldOutFamilies(fonts, 0.1, 10));
    }

    @Test
    void augmentationVariesTheImageButKeepsTheGlyph() {
        GlyphFont font = ((FontCheck.Accepted) new FontCheck(LatinReference.fromLogicalFonts())
                .check(TestFonts.require(TestFonts.DEJAVU_SANS, "fonts-dejavu-core"))).font();
        int a = GlyphClasses.CHARACTERS.indexOf('A');
        GrayImage plain = GlyphRenderer.render(font, a, Augmentation.NONE);
        GrayImage varied = GlyphRenderer.render(font, a, Augmentation.draw(123));
        assertArrayEquals(varied.pixels(), GlyphRenderer.render(font, a, Augmentation.draw(123)).pixels());
        assertFalse(java.util.Arrays.equals(plain.pixels(), varied.pixels()));
        assertEquals(0, plain.get(0, 0), "black background");
        assertTrue(ink(varied) > 0.5 * ink(plain) && ink(varied) < 2 * ink(plain), "the glyph is still there");
    }

    private static long ink(GrayImage image) {
        long sum = 0;
        for (byte p : image.pixels()) {
            sum += p & 0xFF;
        }
        return sum;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".png")).toList()) {
                // Keyed by class and file, not split: another seed may hold out another family.
                files.put(p.getParent().getFileName() + "/" + p.getFileName(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
