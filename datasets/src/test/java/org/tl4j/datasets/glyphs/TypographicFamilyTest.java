package org.tl4j.datasets.glyphs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypographicFamilyTest {

    private static final Path DEJAVU_SANS_EXTRA_LIGHT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf");

    @Test
    void extraLightWeightBelongsToItsTypographicFamily() throws Exception {
        Path file = TestFonts.require(DEJAVU_SANS_EXTRA_LIGHT, "fonts-dejavu-extra");
        assertEquals("DejaVu Sans Light", Font.createFont(Font.TRUETYPE_FONT, file.toFile()).getFamily(Locale.ENGLISH),
                "Java reports the legacy family, which splits weights apart");
        assertEquals(Optional.of("DejaVu Sans"), TypographicFamily.of(file));
    }

    @Test
    void unreadableFileHasNoTypographicFamily(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), TypographicFamily.of(Files.write(dir.resolve("x.ttf"), new byte[] {0, 1, 0, 0, 0, 9})));
    }
}
