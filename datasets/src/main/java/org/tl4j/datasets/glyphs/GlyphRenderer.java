package org.tl4j.datasets.glyphs;

import java.awt.geom.AffineTransform;
import java.util.SplittableRandom;
import org.tl4j.datasets.GrayImage;

/** Renders one glyph of a checked font as a 28x28 image, white on black like Fashion-MNIST, with an augmentation. */
public final class GlyphRenderer {

    public static final int SIDE = 28;
    /** Thinning may not remove more than this share of a glyph's ink; beyond it the glyph is drawn unthinned. */
    private static final double MAX_INK_LOST_TO_THINNING = 0.35;

    private GlyphRenderer() {
    }

    public static GrayImage render(GlyphFont font, int classIndex, Augmentation a) {
        AffineTransform t = new AffineTransform();
        t.translate(SIDE / 2.0 + a.dx(), SIDE / 2.0 + a.dy());
        t.rotate(Math.toRadians(a.degrees()));
        t.scale(a.scale(), a.scale());
        byte[] pixels = GlyphRaster.draw(font.outline(classIndex), t, (float) a.stroke(), SIDE, SIDE);
        if (a.stroke() < 0) {
            // Thin fonts would vanish under the same thinning that suits a bold one.
            long thinned = GlyphRaster.ink(pixels);
            byte[] plain = GlyphRaster.draw(font.outline(classIndex), t, 0, SIDE, SIDE);
            if (thinned < (1 - MAX_INK_LOST_TO_THINNING) * GlyphRaster.ink(plain)) {
                pixels = plain;
            }
        }
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels[i] & 0xFF;
        }
        if (a.blurSigma() > 0) {
            values = blur(values, a.blurSigma());
        }
        if (a.noiseSigma() > 0) {
            SplittableRandom noise = new SplittableRandom(a.noiseSeed());
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (noise.nextGaussian() * a.noiseSigma());
            }
        }
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(values[i])));
        }
        return new GrayImage(SIDE, SIDE, out);
    }

    /** Separable Gaussian blur, radius 2, edges clamped. */
    private static float[] blur(float[] values, double sigma) {
        int radius = 2;
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = (float) Math.exp(-(k * k) / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        float[] rows = new float[values.length];
        float[] out = new float[values.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * values[y * SIDE + clamp(x + k)];
                }
                rows[y * SIDE + x] = acc;
            }
        }
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * rows[clamp(y + k) * SIDE + x];
                }
                out[y * SIDE + x] = acc;
            }
        }
        return out;
    }

    private static int clamp(int i) {
        return Math.max(0, Math.min(SIDE - 1, i));
    }
}
