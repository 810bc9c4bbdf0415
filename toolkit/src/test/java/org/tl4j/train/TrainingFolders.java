package org.tl4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Tiny image folders for training tests: one sub-folder per class, PNGs of dark noise (seeded) with a bright
 * class-specific pattern: a red square ({@code square}), a green vertical bar ({@code bar}), a blue cross
 * ({@code cross}), so a network can tell them apart after a few updates.
 */
final class TrainingFolders {

    static final List<String> CLASSES = List.of("bar", "cross", "square");

    private TrainingFolders() {
    }

    /** Writes {@code perClass} images of {@code size} x {@code size} per class of {@code classes} under {@code root}. */
    static Path write(Path root, List<String> classes, int perClass, int size, long seed) throws IOException {
        Random random = new Random(seed);
        for (String label : classes) {
            Path folder = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int r = random.nextInt(60);
                        int g = random.nextInt(60);
                        int b = random.nextInt(60);
                        int q = size / 4;
                        boolean inSquare = x >= q && x < 3 * q && y >= q && y < 3 * q;
                        boolean inBar = x >= size / 2 - size / 8 && x < size / 2 + size / 8;
                        boolean inCross = Math.abs(x - size / 2) < size / 12 + 1 || Math.abs(y - size / 2) < size / 12 + 1;
                        switch (label) {
                            case "square" -> r = inSquare ? 220 : r;
                            case "bar" -> g = inBar ? 220 : g;
                            case "cross" -> b = inCross ? 220 : b;
                            default -> {
                                // another class: noise only, brighter the later its name sorts
                                r += Math.floorMod(label.hashCode(), 100);
                            }
                        }
                        image.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(label + "-" + i + ".png").toFile());
            }
        }
        return root;
    }

    /** The three standard classes, 6 images each, 32 px (resnet50-small's input size). */
    static Path standard(Path root) throws IOException {
        return write(root, CLASSES, 6, 32, 7);
    }
}
