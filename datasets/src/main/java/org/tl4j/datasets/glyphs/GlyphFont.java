package org.tl4j.datasets.glyphs;

import java.awt.Shape;
import java.nio.file.Path;

/**
 * A font that passed {@link FontCheck}, with its 62 glyph outlines ready to draw: in output pixels, each glyph
 * centred on (0, 0), all glyphs of the font at one size (the tallest is {@link FontCheck#GLYPH_BOX} pixels), so
 * small letters stay smaller than capitals.
 *
 * @param path     the font file
 * @param sha256   SHA-256 of the font file
 * @param family   the typographic family (OpenType name ID 16, e.g. "Lato" for Lato Light), else
 *                 {@code Font.getFamily()} in English: the unit of the train/validation split
 * @param javaFamily {@code Font.getFamily()} in English (the legacy family, e.g. "Lato Light")
 * @param fontName {@code Font.getFontName()} in English
 * @param outlines outline per class index (see {@link GlyphClasses}); shared read-only between threads
 * @param latinMatches how many of the 62 glyphs matched their Latin reference shape ({@link LatinReference})
 */
public record GlyphFont(Path path, String sha256, String family, String javaFamily, String fontName, Shape[] outlines, int latinMatches) {

    public Shape outline(int classIndex) {
        return outlines[classIndex];
    }

    /** A short id for file names: the file's name without extension plus 8 hex digits of its hash. */
    public String fileId() {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9_-]", "_");
        return stem + "-" + sha256.substring(0, 8);
    }

    /** 64 bits of the file hash: keys this font's random streams, so they do not depend on which other fonts ran. */
    public long seedKey() {
        return Long.parseUnsignedLong(sha256.substring(0, 16), 16);
    }
}
