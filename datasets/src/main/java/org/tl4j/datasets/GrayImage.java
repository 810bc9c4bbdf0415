package org.tl4j.datasets;

/**
 * An 8-bit grayscale image, row-major, 0 = black. The one pixel format every tl4j dataset here is
 * published in (Fashion-MNIST, OpenCV digits, rendered glyphs).
 */
public record GrayImage(int width, int height, byte[] pixels) {

    public GrayImage {
        if (width < 1 || height < 1 || pixels.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + width * height
                    + " pixels, got " + pixels.length);
        }
    }

    /** Pixel value 0..255 at column x, row y. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }
}
