package org.tl4j.datasets.glyphs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real font files from Debian packages that tl4j's glyph tests need (the tests say which package is missing). */
final class TestFonts {

    static final Path DEJAVU_SANS = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    static final Path DEJAVU_SANS_BOLD = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    static final Path DEJAVU_SERIF = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
    /** URW Dingbats: pictures mapped onto letter codes. */
    static final Path DINGBATS = Path.of("/usr/share/fonts/opentype/urw-base35/D050000L.otf");
    /** Arabic only: no Latin letters. */
    static final Path NOTO_ARABIC = Path.of("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf");

    private TestFonts() {
    }

    static Path require(Path font, String debianPackage) {
        assertTrue(Files.isRegularFile(font), font + " is missing: apt-get install -y " + debianPackage);
        return font;
    }

    /** A fonts folder with links to the given files. */
    static Path folderWith(Path dir, Path... fonts) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fonts"));
        for (Path font : fonts) {
            Files.createSymbolicLink(folder.resolve(font.getFileName()), font);
        }
        return folder;
    }
}
