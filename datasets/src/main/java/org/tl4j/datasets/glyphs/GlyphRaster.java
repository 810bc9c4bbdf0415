package org.tl4j.datasets.glyphs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Draws outlines white on black into small grayscale bitmaps with anti-aliasing (headless Java2D). */
final class GlyphRaster {

    private GlyphRaster() {
    }

    /**
     * Draws {@code outline} through {@code transform}; {@code strokeWidth} > 0 thickens it by that many pixels,
     * < 0 thins it (draws the border in black), 0 leaves it as designed.
     */
    static byte[] draw(Shape outline, AffineTransform transform, float strokeWidth, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            Shape shape = transform.createTransformedShape(outline);
            g.setColor(Color.WHITE);
            g.fill(shape);
            if (strokeWidth != 0) {
                g.setColor(strokeWidth > 0 ? Color.WHITE : Color.BLACK);
                g.setStroke(new BasicStroke(Math.abs(strokeWidth), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(shape);
            }
        } finally {
            g.dispose();
        }
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    /** Sum of pixel values: how much ink a bitmap holds. */
    static long ink(byte[] pixels) {
        long sum = 0;
        for (byte p : pixels) {
            sum += p & 0xFF;
        }
        return sum;
    }
}
