package org.tl4j.data;

import java.util.Objects;

/**
 * An image decoded to 8-bit samples, upright (EXIF orientation applied), interleaved row by row
 * ({@code pixels[(y * width + x) * channels + c]}), with 1 channel (grey) or 3 (R, G, B).
 *
 * @param width    width in pixels
 * @param height   height in pixels
 * @param channels 1 for grey, 3 for RGB
 * @param pixels   samples 0..255 as unsigned bytes, length width * height * channels
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels) {

    public DecodedImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " samples, got "
                    + pixels.length);
        }
    }

    /** Sample at (x, y) in channel c, 0..255. */
    public int sample(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** This image with 1 channel (ITU-R 601 luma, as Pillow's "L" mode) or 3 (grey replicated). */
    public DecodedImage withChannels(int wanted) {
        if (wanted == channels) {
            return this;
        }
        int n = width * height;
        byte[] out = new byte[n * wanted];
        if (wanted == 1) {
            for (int i = 0; i < n; i++) {
                int r = pixels[3 * i] & 0xFF;
                int g = pixels[3 * i + 1] & 0xFF;
                int b = pixels[3 * i + 2] & 0xFF;
                out[i] = (byte) ((r * 299 + g * 587 + b * 114 + 500) / 1000);
            }
        } else if (wanted == 3) {
            for (int i = 0; i < n; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = pixels[i];
            }
        } else {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + wanted);
        }
        return new DecodedImage(width, height, wanted, out);
    }
}
