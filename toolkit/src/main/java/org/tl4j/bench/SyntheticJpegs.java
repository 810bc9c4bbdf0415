package org.tl4j.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.tl4j.data.AtomicFiles;

/**
 * Writes seeded, rendered JPEG photographs stand-ins for benchmarks that must read real JPEG files from disk (no
 * photographs are available offline): an image folder, one sub-folder per class. Each image is a colour gradient
 * with a dozen filled shapes and mild per-pixel noise, so its JPEG has photo-like entropy (neither a flat image,
 * which decodes unrealistically fast, nor pure noise, which decodes unrealistically slowly). A class shifts the
 * hue of its shapes and picks their kind, so a head can learn something from the codes.
 */
public final class SyntheticJpegs {

    /** JPEG quality of the files, as cameras and web photos commonly use. */
    static final float QUALITY = 0.9f;

    private SyntheticJpegs() {
    }

    /**
     * Writes {@code images} JPEGs of {@code width} x {@code height} into {@code classes} folders {@code c0..} of
     * {@code root} (round robin), each file written atomically. Same seed, same files.
     *
     * @return the root
     */
    public static Path write(Path root, int images, int classes, int width, int height, long seed) throws IOException {
        if (images < classes || classes < 2 || width < 8 || height < 8) {
            throw new IllegalArgumentException("need at least two classes, one image per class and 8x8 pixels; got "
                    + images + " images, " + classes + " classes, " + width + "x" + height);
        }
        for (int c = 0; c < classes; c++) {
            Files.createDirectories(root.resolve("c" + c));
        }
        for (int i = 0; i < images; i++) {
            int label = i % classes;
            BufferedImage image = render(width, height, label, classes, new Random(seed * 1_000_003L + i));
            Path file = root.resolve("c" + label).resolve(String.format(Locale.ROOT, "img%05d.jpg", i));
            AtomicFiles.write(file, out -> writeJpeg(image, out));
        }
        return root;
    }

    static BufferedImage render(int width, int height, int label, int classes, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, randomColour(random), width, height, randomColour(random)));
            g.fillRect(0, 0, width, height);
            float hue = (float) label / classes;
            for (int s = 0; s < 12; s++) {
                g.setColor(Color.getHSBColor(hue + 0.1f * (random.nextFloat() - 0.5f), 0.4f + 0.6f * random.nextFloat(),
                        0.3f + 0.7f * random.nextFloat()));
                int w = width / 8 + random.nextInt(width / 3);
                int h = height / 8 + random.nextInt(height / 3);
                int x = random.nextInt(width) - w / 2;
                int y = random.nextInt(height) - h / 2;
                if ((label + s) % 2 == 0) {
                    g.fillOval(x, y, w, h);
                } else {
                    g.fillRect(x, y, w, h);
                }
            }
        } finally {
            g.dispose();
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = random.nextInt(17) - 8;
                image.setRGB(x, y, clamp((rgb >> 16 & 255) + n) << 16 | clamp((rgb >> 8 & 255) + n) << 8
                        | clamp((rgb & 255) + n));
            }
        }
        return image;
    }

    private static Color randomColour(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void writeJpeg(BufferedImage image, java.io.OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
