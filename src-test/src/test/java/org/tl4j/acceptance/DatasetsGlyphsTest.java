package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.cli.Main;
import org.tl4j.datasets.DatasetManifest;

/** {@code tl4j datasets prepare glyphs} on the fonts Debian's fonts-* packages installed under /usr/share/fonts. */
class DatasetsGlyphsTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void fullFontSetGives62ClassesAndNoFamilyInBothSplits() {
        Path out = dir.resolve("glyphs");
        assertEquals(0, Main.run("datasets", "prepare", "glyphs", "--out", out.toString(), "--quiet"));
        Map<String, Integer> train = PreparedFolders.pngsPerClass(out.resolve("train"));
        Map<String, Integer> val = PreparedFolders.pngsPerClass(out.resolve("val"));
        assertEquals(62, train.size(), train.keySet().toString());
        assertEquals(62, val.size(), val.keySet().toString());

        Map<String, Object> manifest = DatasetManifest.read(out);
        List<Map<String, Object>> fonts = (List<Map<String, Object>>) manifest.get("fonts");
        // The 164 packages of glyph-font-packages.txt hold over a thousand font files; most are Latin text faces.
        assertTrue(fonts.size() > 500, fonts.size() + " fonts passed");
        Map<String, Set<Object>> splitsOfFamily = new TreeMap<>();
        int trainFonts = 0;
        for (Map<String, Object> font : fonts) {
            splitsOfFamily.computeIfAbsent((String) font.get("family"), f -> new HashSet<>()).add(font.get("split"));
            assertTrue(Files.isRegularFile(Path.of((String) font.get("path"))));
            assertEquals(64, ((String) font.get("sha256")).length());
            trainFonts += "train".equals(font.get("split")) ? 1 : 0;
        }
        splitsOfFamily.forEach((family, splits) -> assertEquals(1, splits.size(), family + " is in both splits"));
        long valFamilies = splitsOfFamily.values().stream().filter(s -> s.contains("val")).count();
        double share = valFamilies / (double) splitsOfFamily.size();
        assertTrue(share > 0.08 && share < 0.12, "held-out share of families " + share);
        for (int n : train.values()) {
            assertEquals(trainFonts, n, "one image per training font in every class");
        }
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) manifest.get("rejectedFonts");
        assertTrue(rejected.stream().anyMatch(r -> ((String) r.get("path")).endsWith("D050000L.otf")),
                "URW Dingbats must be rejected");
    }

    @Test
    void sameSeedGivesTheSameImages() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path out : List.of(a, b)) {
            assertEquals(0, Main.run("datasets", "prepare", "glyphs", "--out", out.toString(), "--max-fonts", "12",
                    "--per-font", "2", "--seed", "7", "--quiet"));
        }
        Map<String, byte[]> first = files(a);
        Map<String, byte[]> second = files(b);
        assertEquals(12 * 62 * 2, first.size());
        assertEquals(first.keySet(), second.keySet());
        first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name));
        assertTrue(first.keySet().stream().anyMatch(n -> n.startsWith("val/")), "a family is held out");
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".png")).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
