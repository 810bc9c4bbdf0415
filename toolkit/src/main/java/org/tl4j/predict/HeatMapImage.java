package org.tl4j.predict;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.tl4j.data.AtomicFiles;
import org.tl4j.zoo.spec.InputSpec;

/**
 * Draws one class's score map over the image the network saw, as a PNG. Plain java2d rather than a charting
 * library: this is an image overlay (the map stretched over window centres, translucent), not a chart with axes.
 */
public final class HeatMapImage {

    private static final float OVERLAY_ALPHA = 0.5f;

    private HeatMapImage() {
    }

    /** The overlay of {@code map}'s scores for class {@code classIndex}. */
    public static BufferedImage render(ScoreMap map, int classIndex) {
        BufferedImage image = preparedImage(map.preparedChw(), map.input());
        int mh = map.height();
        int mw = map.width();
        BufferedImage heat = new BufferedImage(mw, mh, BufferedImage.TYPE_INT_ARGB);
        float[][] scores = map.scores()[classIndex];
        for (int y = 0; y < mh; y++) {
            for (int x = 0; x < mw; x++) {
                heat.setRGB(x, y, colour(scores[y][x]).getRGB());
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, OVERLAY_ALPHA));
            // Location i scores the window starting at i*stride: cell i is centred on that window's centre.
            double strideY = mh > 1 ? (double) (image.getHeight() - map.windowHeight()) / (mh - 1) : image.getHeight();
            double strideX = mw > 1 ? (double) (image.getWidth() - map.windowWidth()) / (mw - 1) : image.getWidth();
            double y0 = mh > 1 ? map.windowHeight() / 2.0 - strideY / 2 : 0;
            double x0 = mw > 1 ? map.windowWidth() / 2.0 - strideX / 2 : 0;
            g.drawImage(heat, (int) Math.round(x0), (int) Math.round(y0), (int) Math.round(x0 + mw * strideX),
                    (int) Math.round(y0 + mh * strideY), 0, 0, mw, mh, null);
            g.setComposite(AlphaComposite.SrcOver);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, image.getHeight() / 16)));
            String label = String.format(Locale.ROOT, "%s (max %.2f)", map.classNames().get(classIndex),
                    max(scores));
            g.setColor(Color.BLACK);
            g.drawString(label, 5, g.getFont().getSize() + 3);
            g.setColor(Color.WHITE);
            g.drawString(label, 4, g.getFont().getSize() + 2);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes {@link #render} atomically as a PNG. */
    public static void write(ScoreMap map, int classIndex, Path png) throws IOException {
        BufferedImage image = render(map, classIndex);
        AtomicFiles.writeFile(png, temp -> {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer in this JVM for " + png);
            }
        });
    }

    /** Blue (0) to red (1) through green, the usual heat scale; scores outside [0, 1] are clamped. */
    static Color colour(float score) {
        float v = Math.max(0, Math.min(1, score));
        return Color.getHSBColor((1 - v) * 0.66f, 1f, 1f);
    }

    private static float max(float[][] scores) {
        float m = -Float.MAX_VALUE;
        for (float[] row : scores) {
            for (float v : row) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    /** Undoes the normalisation: what the network saw, as an RGB picture. */
    static BufferedImage preparedImage(float[] chw, InputSpec spec) {
        int h = spec.height();
        int w = spec.width();
        int channels = spec.channels();
        int plane = h * w;
        double range = spec.pixelRange().scale();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgbIndex = switch (spec.channelOrder()) {
            case RGB -> new int[] {0, 1, 2};
            case BGR -> new int[] {2, 1, 0};
            case GRAY -> new int[] {0, 0, 0};
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] rgb = new int[3];
                for (int k = 0; k < 3; k++) {
                    int c = rgbIndex[k];
                    double v = (chw[c * plane + y * w + x] * spec.std()[c] + spec.mean()[c]) / range;
                    rgb[k] = (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return image;
    }
}
