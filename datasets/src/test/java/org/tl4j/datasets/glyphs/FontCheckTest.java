package org.tl4j.datasets.glyphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FontCheckTest {

    private static FontCheck check;

    @BeforeAll
    static void reference() {
        check = new FontCheck(LatinReference.fromLogicalFonts());
    }

    @Test
    void latinTextFontPassesWithSmallLettersSmallerThanCapitals() {
        FontCheck.Result result = check.check(TestFonts.require(TestFonts.DEJAVU_SANS, "fonts-dejavu-core"));
        GlyphFont font = assertInstanceOf(FontCheck.Accepted.class, result, result.toString()).font();
        assertEquals("DejaVu Sans", font.family());
        assertEquals(62, font.outlines().length);
        double capitalX = font.outline(GlyphClasses.CHARACTERS.indexOf('X')).getBounds2D().getHeight();
        double smallX = font.outline(GlyphClasses.CHARACTERS.indexOf('x')).getBounds2D().getHeight();
        assertTrue(smallX < 0.85 * capitalX, "x " + smallX + " vs X " + capitalX + ": one size per font keeps case sizes");
        double tallest = 0;
        for (int i = 0; i < 62; i++) {
            tallest = Math.max(tallest, font.outline(i).getBounds2D().getHeight());
        }
        assertEquals(FontCheck.GLYPH_BOX, tallest, 0.01, "the tallest glyph fills the glyph box");
    }

    @Test
    void fontWithoutLatinLettersIsRejected() {
        FontCheck.Result result = check.check(TestFonts.require(TestFonts.NOTO_ARABIC, "fonts-noto-core"));
        FontCheck.Rejected rejected = assertInstanceOf(FontCheck.Rejected.class, result);
        assertTrue(rejected.reason().contains("has no glyph for") && rejected.reason().contains("A"), rejected.reason());
    }

    @Test
    void dingbatFontIsRejectedBecauseItsGlyphsAreNotLetters() {
        FontCheck.Result result = check.check(TestFonts.require(TestFonts.DINGBATS, "fonts-urw-base35"));
        FontCheck.Rejected rejected = assertInstanceOf(FontCheck.Rejected.class, result);
        assertTrue(rejected.reason().contains("look like their Latin characters"), rejected.reason());
    }

    @Test
    void fileThatIsNoFontIsRejectedNotFatal(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("broken.ttf"), "not a font");
        FontCheck.Rejected rejected = assertInstanceOf(FontCheck.Rejected.class, check.check(fake));
        assertTrue(rejected.reason().contains("not readable"), rejected.reason());
    }
}
