package org.tl4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Tiny synthetic image folders for the featurize-cache tests, written with the JDK's PNG encoder: class
 * "horizontal" has dark/bright horizontal stripes, class "vertical" vertical ones, each image with its own stripe
 * period, phase and pixel noise from the seed.
 */
public final class FeatureTestData {

    private FeatureTestData() {
    }

    /** Writes {@code perClass} 32x32 RGB PNGs into {@code root/horizontal} and {@code root/vertical}. */
    public static Path stripes(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String cls : new String[] {"horizontal", "vertical"}) {
            Path folder = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                int period = 4 + random.nextInt(5);
                int phase = random.nextInt(period);
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int along = cls.equals("horizontal") ? y : x;
                        int base = ((along + phase) / (period / 2.0)) % 2 < 1 ? 40 : 215;
                        int v = Math.max(0, Math.min(255, base + random.nextInt(31) - 15));
                        image.setRGB(x, y, (v << 16) | (v << 8) | v);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(String.format("%s-%02d.png", cls, i)).toFile());
            }
        }
        return root;
    }
}
