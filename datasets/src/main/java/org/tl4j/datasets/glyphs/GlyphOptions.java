package org.tl4j.datasets.glyphs;

import java.nio.file.Path;

/**
 * Options only the glyphs dataset takes.
 *
 * @param fontsFolder  where to look for .ttf/.otf files (Debian: /usr/share/fonts)
 * @param perFont      augmented images per character and font
 * @param maxFonts     use only this many passing fonts, picked by a seeded shuffle ({@code null}: all)
 * @param valFamilies  fraction of font families held out as {@code val/}
 */
public record GlyphOptions(Path fontsFolder, int perFont, Integer maxFonts, double valFamilies) {

    public static final double DEFAULT_VAL_FAMILIES = 0.1;

    public static GlyphOptions defaults() {
        return new GlyphOptions(FontFiles.DEBIAN_FONTS, 1, null, DEFAULT_VAL_FAMILIES);
    }
}
