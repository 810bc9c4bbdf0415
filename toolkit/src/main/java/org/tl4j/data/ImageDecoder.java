package org.tl4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF (first frame) files to upright 8-bit grey or RGB, in Java only (ImageIO with the
 * TwelveMonkeys plugins for CMYK/YCCK JPEG and BMP variants): a broken file can throw, never crash the JVM.
 *
 * <p>Guards, in order: file size, format, header dimensions against a pixel limit (before any pixel is decoded, so
 * a small file claiming 40000x40000 pixels cannot exhaust the heap), then a full decode in which a truncation
 * warning counts as a failure. Every failure is an {@link ImageRejectedException} whose message is the reason.
 */
public final class ImageDecoder {

    /** Pixel limit by default: about Pillow's 89.5 megapixel decompression-bomb warning threshold. */
    public static final long DEFAULT_MAX_PIXELS = 90_000_000L;
    /** Larger files are rejected unread: no image in a classification data set is this big. */
    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private static final Set<String> FORMATS = Set.of("jpeg", "png", "bmp", "gif");

    private final long maxPixels;

    /** A decoder with the {@link #DEFAULT_MAX_PIXELS} limit. */
    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoder that rejects images whose header declares more than {@code maxPixels} pixels. */
    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** What a decode found: the upright image, the file's format and its channel count as stored (1..4). */
    public record Decoded(DecodedImage image, String format, int sourceChannels) {
    }

    /** Reads and decodes a file. */
    public DecodedImage decode(Path file) throws ImageRejectedException {
        return decode(readFile(file)).image();
    }

    /** Reads a whole file after checking its size; the reason names the problem. */
    static byte[] readFile(Path file) throws ImageRejectedException {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new ImageRejectedException("empty file (0 bytes)");
            }
            if (size > MAX_FILE_BYTES) {
                throw new ImageRejectedException("file is " + size + " bytes, over the " + MAX_FILE_BYTES
                        + " byte limit for one image");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageRejectedException("cannot read file: " + e, e);
        }
    }

    /** Decodes an image held in memory. */
    public Decoded decode(byte[] data) throws ImageRejectedException {
        if (data.length == 0) {
            throw new ImageRejectedException("empty file (0 bytes)");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = readerFor(in);
            try {
                return decode(reader, in, data);
            } finally {
                reader.dispose();
            }
        } catch (ImageRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders report corrupt data with many exception types (IIOException, EOFException, even
            // ArrayIndexOutOfBoundsException): all mean the same thing for the user.
            throw new ImageRejectedException("corrupt or truncated " + describe(e), e);
        }
    }

    private static ImageReader readerFor(ImageInputStream in) throws IOException, ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        String unsupported = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (FORMATS.contains(format)) {
                return reader;
            }
            unsupported = format;
            reader.dispose();
        }
        if (unsupported != null) {
            throw new ImageRejectedException(unsupported.toUpperCase(Locale.ROOT)
                    + " images are not supported (JPEG, PNG, BMP, GIF are): convert the file");
        }
        throw new ImageRejectedException("not an image: content is not JPEG, PNG, BMP or GIF");
    }

    private Decoded decode(ImageReader reader, ImageInputStream in, byte[] data)
            throws IOException, ImageRejectedException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        boolean jpeg = format.equals("jpeg");
        // JPEG readers need the metadata segments to tell CMYK/YCCK from RGB; others can skip it.
        reader.setInput(in, true, !jpeg);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException("header declares an invalid size " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageRejectedException(String.format(Locale.ROOT,
                    "header declares %dx%d = %.1f megapixels, over the %.1f megapixel limit (decompression bomb"
                            + " guard; raise --max-pixels if the image is genuine)",
                    width, height, pixels / 1e6, maxPixels / 1e6));
        }
        int sourceChannels = sourceChannels(reader);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        for (String warning : warnings) {
            // libjpeg fills the missing part of a truncated JPEG with grey and only warns: that is not an image.
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                throw new ImageRejectedException("truncated " + format.toUpperCase(Locale.ROOT) + ": " + warning);
            }
        }
        if (sourceChannels <= 0) {
            sourceChannels = image.getColorModel().getNumComponents();
        }
        DecodedImage decoded = toEightBit(image);
        if (jpeg) {
            decoded = ExifOrientation.apply(decoded, ExifOrientation.read(data));
        }
        return new Decoded(decoded, format, sourceChannels);
    }

    /** Channels as stored in the file (4 for CMYK even though the reader converts to RGB); 0 when unknown. */
    private static int sourceChannels(ImageReader reader) {
        try {
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            return raw == null ? 0 : raw.getColorModel().getNumComponents();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder reason = new StringBuilder("image data: ");
        String sep = "";
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            reason.append(sep).append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            sep = ": ";
            if (t.getCause() == null) {
                break;
            }
        }
        return reason.toString();
    }

    /**
     * Converts any decoded image to 8-bit grey or RGB. Grey is read from the raster directly: Java2D's
     * {@code getRGB} treats grey as linear and brightens it; 16-bit samples are scaled exactly (v * 255 / 65535).
     * Alpha is dropped (as Pillow's {@code convert("RGB")}). Everything else (palettes, packed pixels, CMYK
     * converted by the reader, embedded ICC profiles) goes through {@code getRGB}, which colour-manages to sRGB.
     */
    static DecodedImage toEightBit(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return new DecodedImage(w, h, 1, band(raster, 0, 1, cm.getComponentSize(0), w, h, new byte[w * h]));
        }
        if (cm instanceof ComponentColorModel && cm.getColorSpace().isCS_sRGB() && !cm.isAlphaPremultiplied()) {
            byte[] out = new byte[w * h * 3];
            for (int c = 0; c < 3; c++) {
                band(raster, c, 3, cm.getComponentSize(c), w, h, out);
            }
            return new DecodedImage(w, h, 3, out);
        }
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int i = (y * w + x) * 3;
                out[i] = (byte) (argb >> 16);
                out[i + 1] = (byte) (argb >> 8);
                out[i + 2] = (byte) argb;
            }
        }
        return new DecodedImage(w, h, 3, out);
    }

    /** Copies one band into every {@code stride}-th byte of out, scaled from {@code bits} to 8 bits with rounding. */
    private static byte[] band(Raster raster, int band, int stride, int bits, int w, int h, byte[] out) {
        int[] row = new int[w];
        long max = (1L << bits) - 1;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, band, row);
            for (int x = 0; x < w; x++) {
                int v = bits == 8 ? row[x] : (int) ((row[x] * 255L + max / 2) / max);
                out[(y * w + x) * stride + band] = (byte) v;
            }
        }
        return out;
    }
}
