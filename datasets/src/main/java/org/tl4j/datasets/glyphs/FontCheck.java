package org.tl4j.datasets.glyphs;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tl4j.datasets.Sha256;

/**
 * Decides whether a font file really draws the 62 characters 0-9, A-Z, a-z as Latin characters, and if so
 * prepares its outlines at one size for the whole font.
 *
 * <p>A font is rejected when Java cannot read it, when {@code Font.canDisplay} says a character is missing, when a
 * glyph is blank or draws the font's missing-glyph (.notdef) box, when two characters draw the same image, or when
 * too few glyphs resemble their Latin reference ({@link LatinReference}): symbol and dingbat fonts.
 */
public final class FontCheck {

    /** Height in output pixels of a font's tallest glyph (MNIST-style: a 20 px box inside 28 px). */
    public static final double GLYPH_BOX = 20;
    /** Widest glyph allowed, in output pixels, so wide fonts still fit the 28 px image. */
    public static final double MAX_GLYPH_WIDTH = 26;
    /**
     * At least this many of the 62 glyphs must match their Latin reference ({@link LatinReference}). Chosen from
     * the 1,443 font files of this project's Debian 12 machines: URW Dingbats matched 0, Standard Symbols PS 26
     * (its Greek capitals and real digits resemble Latin ones), a few ruled-line school and scrawled handwriting
     * faces 4-29, and most Latin text faces 45-62.
     */
    public static final int MIN_RECOGNIZED = 30;

    static final float REFERENCE_SIZE = 100f;
    /** Check bitmaps are drawn at twice the output size, so near-identical glyphs still differ. */
    private static final int CHECK_SCALE = 2;
    private static final int CHECK_SIDE = 64;
    /** A glyph with less ink than this (in full-white pixels of the check bitmap) counts as blank. */
    private static final long MIN_INK = 4 * 255;

    private final LatinReference reference;
    private final int minRecognized;

    public FontCheck(LatinReference reference) {
        this(reference, MIN_RECOGNIZED);
    }

    /** A check with another threshold for {@link LatinReference} matches (0 turns that test off). */
    public FontCheck(LatinReference reference, int minRecognized) {
        this.reference = reference;
        this.minRecognized = minRecognized;
    }

    /** What the check decided. */
    public sealed interface Result permits Accepted, Rejected {
        Path path();
    }

    /** The font passed. */
    public record Accepted(GlyphFont font) implements Result {
        @Override
        public Path path() {
            return font.path();
        }
    }

    /** The font failed, and why. */
    public record Rejected(Path path, String reason) implements Result {
    }

    public Result check(Path file) {
        Font font;
        try {
            font = Font.createFont(Font.TRUETYPE_FONT, file.toFile()).deriveFont(REFERENCE_SIZE);
        } catch (FontFormatException | IOException | RuntimeException e) {
            return new Rejected(file, "not readable as a TrueType/OpenType font: " + e.getMessage());
        }
        try {
            return check(file, font);
        } catch (RuntimeException e) {
            // A font whose tables break Java's rasteriser: one bad file must not stop the whole dataset.
            return new Rejected(file, "drawing it failed: " + e);
        }
    }

    private Result check(Path file, Font font) {
        StringBuilder missing = new StringBuilder();
        for (char c : GlyphClasses.CHARACTERS.toCharArray()) {
            if (!font.canDisplay(c)) {
                missing.append(c);
            }
        }
        if (missing.length() > 0) {
            return new Rejected(file, "has no glyph for " + quoted(missing.toString()));
        }
        FontRenderContext frc = new FontRenderContext(null, true, true);
        Shape[] raw = new Shape[GlyphClasses.COUNT];
        double maxHeight = 0;
        double maxWidth = 0;
        for (int i = 0; i < raw.length; i++) {
            GlyphVector vector = font.createGlyphVector(frc, String.valueOf(GlyphClasses.character(i)));
            if (vector.getGlyphCode(0) == font.getMissingGlyphCode()) {
                return new Rejected(file, "maps " + quoted(String.valueOf(GlyphClasses.character(i))) + " to its missing-glyph box");
            }
            raw[i] = vector.getOutline();
            Rectangle2D bounds = raw[i].getBounds2D();
            maxHeight = Math.max(maxHeight, bounds.getHeight());
            maxWidth = Math.max(maxWidth, bounds.getWidth());
        }
        if (maxHeight <= 0 || maxWidth <= 0) {
            return new Rejected(file, "draws nothing for any of the 62 characters");
        }
        double scale = Math.min(GLYPH_BOX / maxHeight, MAX_GLYPH_WIDTH / maxWidth);
        Shape[] outlines = new Shape[raw.length];
        for (int i = 0; i < raw.length; i++) {
            outlines[i] = centred(raw[i], scale);
        }
        Shape notdef = centred(font.createGlyphVector(frc, new int[] {font.getMissingGlyphCode()}).getOutline(), scale);
        byte[] notdefBitmap = checkBitmap(notdef);

        Map<ByteBuffer, Integer> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < outlines.length; i++) {
            String c = String.valueOf(GlyphClasses.character(i));
            byte[] bitmap = checkBitmap(outlines[i]);
            if (GlyphRaster.ink(bitmap) < MIN_INK) {
                problems.add(quoted(c) + " is blank");
            } else if (java.util.Arrays.equals(bitmap, notdefBitmap)) {
                problems.add(quoted(c) + " draws the missing-glyph box");
            } else {
                Integer twin = seen.putIfAbsent(ByteBuffer.wrap(bitmap), i);
                if (twin != null) {
                    problems.add(quoted(String.valueOf(GlyphClasses.character(twin))) + " and " + quoted(c) + " look the same");
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Rejected(file, String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
        }
        int recognized = reference.recognized(outlines);
        if (recognized < minRecognized) {
            return new Rejected(file, "only " + recognized + " of 62 glyphs look like their Latin characters"
                    + " (symbol, dingbat or non-Latin font)");
        }
        String javaFamily = font.getFamily(Locale.ENGLISH);
        return new Accepted(new GlyphFont(file, Sha256.of(file), TypographicFamily.of(file).orElse(javaFamily), javaFamily,
                font.getFontName(Locale.ENGLISH), outlines, recognized));
    }

    private static Shape centred(Shape outline, double scale) {
        Rectangle2D b = outline.getBounds2D();
        AffineTransform t = AffineTransform.getScaleInstance(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        return t.createTransformedShape(outline);
    }

    private static byte[] checkBitmap(Shape centredOutline) {
        AffineTransform t = AffineTransform.getTranslateInstance(CHECK_SIDE / 2.0, CHECK_SIDE / 2.0);
        t.scale(CHECK_SCALE, CHECK_SCALE);
        return GlyphRaster.draw(centredOutline, t, 0, CHECK_SIDE, CHECK_SIDE).clone();
    }

    private static String quoted(String chars) {
        return "'" + chars + "'";
    }
}
