package org.tl4j.datasets.glyphs;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells whether a font's glyphs look like the Latin characters they are mapped to: each glyph is shrunk to a
 * 12x12 shape and matched against the same characters drawn by Java's logical fonts (SansSerif, Serif,
 * Monospaced; fontconfig maps them to installed Latin fonts). Symbol and dingbat fonts, which map pictures onto
 * letter codes, match almost nothing; text faces, even decorative ones, match most characters.
 */
public final class LatinReference {

    static final int SIDE = 12;
    /** Characters whose shapes differ mainly in size or position, which the 12x12 shape does not keep. */
    private static final List<String> LOOK_ALIKES = List.of("oO0Q", "cC", "sS5", "uU", "vV", "wW", "xX", "zZ2",
            "pP", "kK", "yY", "1lIiJj|", "9gq", "6b", "8B", "mM", "nh");

    private final float[][] features;
    private final int[] classes;
    private final double referenceMedianAspect;

    private LatinReference(float[][] features, int[] classes, double referenceMedianAspect) {
        this.features = features;
        this.classes = classes;
        this.referenceMedianAspect = referenceMedianAspect;
    }

    /** References drawn with Java's logical fonts in plain, bold and italic. */
    public static LatinReference fromLogicalFonts() {
        List<float[]> features = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        List<Double> aspects = new ArrayList<>();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        for (String family : List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)) {
            for (int style : new int[] {Font.PLAIN, Font.BOLD, Font.ITALIC}) {
                Font font = new Font(family, style, 100);
                Shape[] outlines = new Shape[GlyphClasses.COUNT];
                for (int i = 0; i < GlyphClasses.COUNT; i++) {
                    Shape outline = font.createGlyphVector(frc, String.valueOf(GlyphClasses.character(i))).getOutline();
                    outlines[i] = outline;
                    if (!outline.getBounds2D().isEmpty()) {
                        features.add(feature(outline));
                        classes.add(i);
                    }
                }
                if (java.util.Arrays.stream(outlines).noneMatch(o -> o.getBounds2D().isEmpty())) {
                    aspects.add(medianAspect(outlines));
                }
            }
        }
        if (features.size() < GlyphClasses.COUNT) {
            throw new IllegalStateException("Java's logical fonts draw only " + features.size() + " of the 62 reference"
                    + " characters: no Latin font is installed for fontconfig (install fonts-dejavu-core)");
        }
        double medianAspect = aspects.stream().mapToDouble(Double::doubleValue).sorted().skip(aspects.size() / 2)
                .findFirst().orElse(0.6);
        return new LatinReference(features.toArray(new float[0][]), classes.stream().mapToInt(Integer::intValue).toArray(),
                medianAspect);
    }

    /**
     * How many of the 62 outlines (class order) are nearest to a reference of their own character or a look-alike.
     * The font is first stretched horizontally so its median glyph proportions match the references', so that
     * condensed and extended faces are judged by their shapes, not their widths.
     */
    public int recognized(Shape[] outlines) {
        double stretch = referenceMedianAspect / medianAspect(outlines);
        AffineTransform widen = AffineTransform.getScaleInstance(stretch, 1);
        int hits = 0;
        for (int i = 0; i < outlines.length; i++) {
            int predicted = nearest(feature(widen.createTransformedShape(outlines[i])));
            if (predicted == i || lookAlike(i, predicted)) {
                hits++;
            }
        }
        return hits;
    }

    /** Median width/height of the glyphs' bounding boxes. */
    static double medianAspect(Shape[] outlines) {
        double[] aspects = new double[outlines.length];
        for (int i = 0; i < outlines.length; i++) {
            Rectangle2D b = outlines[i].getBounds2D();
            aspects[i] = b.getWidth() / Math.max(b.getHeight(), 1e-9);
        }
        java.util.Arrays.sort(aspects);
        return Math.max(aspects[aspects.length / 2], 1e-3);
    }

    private int nearest(float[] feature) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < features.length; r++) {
            float[] ref = features[r];
            double dot = 0;
            for (int k = 0; k < ref.length; k++) {
                dot += ref[k] * feature[k];
            }
            if (dot > bestScore) {
                bestScore = dot;
                best = classes[r];
            }
        }
        return best;
    }

    private static boolean lookAlike(int a, int b) {
        char ca = GlyphClasses.character(a);
        char cb = GlyphClasses.character(b);
        for (String group : LOOK_ALIKES) {
            if (group.indexOf(ca) >= 0 && group.indexOf(cb) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The outline fitted into a 12x12 box (aspect kept, centred), as a zero-mean unit vector. */
    static float[] feature(Shape outline) {
        Rectangle2D b = outline.getBounds2D();
        double scale = (SIDE - 1) / Math.max(Math.max(b.getWidth(), b.getHeight()), 1e-9);
        AffineTransform t = new AffineTransform();
        t.translate(SIDE / 2.0, SIDE / 2.0);
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        byte[] pixels = GlyphRaster.draw(outline, t, 0, SIDE, SIDE);
        float[] v = new float[pixels.length];
        double mean = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = pixels[i] & 0xFF;
            mean += v[i];
        }
        mean /= v.length;
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] -= (float) mean;
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) norm;
            }
        }
        return v;
    }
}
