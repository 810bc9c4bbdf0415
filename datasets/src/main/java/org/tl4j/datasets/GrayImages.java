package org.tl4j.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/** Reads images into {@link GrayImage}s (PNG or any format ImageIO reads, optionally gzip-compressed). */
public final class GrayImages {

    private GrayImages() {
    }

    /**
     * Reads a single-channel 8-bit image exactly (no colour conversion); rejects colour images, because
     * converting them would silently change the pixels a dataset is defined by.
     */
    public static GrayImage read(Path file) {
        BufferedImage image;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            image = ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (image == null) {
            throw new DatasetException(file + " is not an image Java can decode; check that it is the right file");
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) != 8) {
            throw new DatasetException(file + " is not an 8-bit grayscale image (" + raster.getNumBands() + " bands); "
                    + "expected the grayscale original");
        }
        return fromRaster(raster);
    }

    /** Copies band 0 of an 8-bit raster. */
    public static GrayImage fromRaster(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] pixels = new byte[w * h];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) samples[i];
        }
        return new GrayImage(w, h, pixels);
    }
}
