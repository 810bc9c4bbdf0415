package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every format and colour model the data layer promises to read, and the files it must refuse. */
class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    private ImageDecoder.Decoded decode(byte[] bytes) throws ImageRejectedException {
        return decoder.decode(bytes);
    }

    private static void assertRgb(DecodedImage image, int x, int y, int rgb, int tolerance) {
        int[] want = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
        for (int c = 0; c < 3; c++) {
            int got = image.sample(x, y, c);
            assertTrue(Math.abs(got - want[c]) <= tolerance, "pixel (" + x + "," + y + ") channel " + c + ": expected "
                    + want[c] + " +- " + tolerance + ", got " + got);
        }
    }

    @Test
    void rgbPngIsExact() throws Exception {
        byte[] png = TestImages.encode(TestImages.rgb(3, 2, (x, y) -> (x * 80) << 16 | (y * 100) << 8 | 7), "png");
        ImageDecoder.Decoded d = decode(png);
        assertEquals("png", d.format());
        assertEquals(3, d.sourceChannels());
        assertEquals(3, d.image().width());
        assertEquals(2, d.image().height());
        assertRgb(d.image(), 2, 1, 160 << 16 | 100 << 8 | 7, 0);
    }

    @Test
    void greyPngKeepsItsValuesAndOneChannel() throws Exception {
        // Java2D's getRGB would brighten 100 to about 168 (linear grey to sRGB): the raw sample must come through.
        ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.gray(4, 4, (x, y) -> 100 + x), "png"));
        assertEquals(1, d.image().channels());
        assertEquals(1, d.sourceChannels());
        assertEquals(100, d.image().sample(0, 0, 0));
        assertEquals(103, d.image().sample(3, 2, 0));
    }

    @Test
    void sixteenBitGreyPngIsScaledToEightBits() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.gray16(2, 1, (x, y) -> x == 0 ? 257 * 200 : 65535),
                "png"));
        assertEquals(1, d.image().channels());
        assertEquals(200, d.image().sample(0, 0, 0));
        assertEquals(255, d.image().sample(1, 0, 0));
    }

    @Test
    void sixteenBitRgbPngIsScaledToEightBits() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.rgb16(2, 2, 257 * 10, 257 * 128, 65535), "png"));
        assertEquals(3, d.image().channels());
        assertRgb(d.image(), 1, 1, 10 << 16 | 128 << 8 | 255, 0);
    }

    @Test
    void rgbaPngDropsAlphaKeepingColour() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.rgba(2, 2, 0x336699, 40), "png"));
        assertEquals(4, d.sourceChannels());
        assertEquals(3, d.image().channels());
        assertRgb(d.image(), 0, 0, 0x336699, 0);
    }

    @Test
    void palettePngGivesThePaletteColours() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.encode(TestImages.palette(4, 2, 0xFF8000, 0x0000FF), "png"));
        assertRgb(d.image(), 0, 1, 0xFF8000, 0);
        assertRgb(d.image(), 3, 0, 0x0000FF, 0);
    }

    @Test
    void onePixelImage() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.solidPng(1, 1, 0x123456));
        assertEquals(1, d.image().width());
        assertEquals(1, d.image().height());
        assertRgb(d.image(), 0, 0, 0x123456, 0);
    }

    @Test
    void bmpAndGif() throws Exception {
        byte[] bmp = TestImages.encode(TestImages.rgb(5, 3, (x, y) -> x == 4 ? 0x00FF00 : 0xFF0000), "bmp");
        ImageDecoder.Decoded b = decode(bmp);
        assertEquals("bmp", b.format());
        assertRgb(b.image(), 4, 2, 0x00FF00, 0);
        assertRgb(b.image(), 0, 0, 0xFF0000, 0);
        // The JDK's GIF encoder (interlaced) loses the codes of the row it writes last (Pillow reads its files
        // whole, the JDK's reader shows that row as colour 0: an encoder quirk), so only row 0 is checked.
        byte[] gif = TestImages.encode(TestImages.palette(6, 3, 0xFFFFFF, 0x000000), "gif");
        ImageDecoder.Decoded g = decode(gif);
        assertEquals("gif", g.format());
        assertEquals(3, g.image().height());
        assertRgb(g.image(), 0, 0, 0xFFFFFF, 0);
        assertRgb(g.image(), 5, 0, 0x000000, 0);
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws Exception {
        byte[] gif = TestImages.animatedGif(TestImages.palette(6, 2, 0xFFFFFF, 0x000000),
                TestImages.palette(6, 2, 0x000000, 0xFFFFFF));
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
                new java.io.ByteArrayInputStream(gif))) {
            javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(2, reader.getNumImages(true), "the fixture has two frames");
        }
        DecodedImage first = decode(gif).image();
        assertRgb(first, 0, 0, 0xFFFFFF, 0);
        assertRgb(first, 5, 0, 0x000000, 0);
    }

    @Test
    void rgbJpegIsCloseToItsSource() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.rgb(32, 16, (x, y) -> x < 16 ? 0xC81E1E : 0x1E1EC8));
        ImageDecoder.Decoded d = decode(jpeg);
        assertEquals("jpeg", d.format());
        assertRgb(d.image(), 4, 8, 0xC81E1E, 8);
        assertRgb(d.image(), 28, 8, 0x1E1EC8, 8);
    }

    @Test
    void cmykJpegBecomesRgb() throws Exception {
        ImageDecoder.Decoded d = decode(TestImages.cmykJpeg(32, 16));
        assertEquals(4, d.sourceChannels(), "CMYK has four channels as stored");
        assertEquals(3, d.image().channels());
        assertRgb(d.image(), 4, 8, 0xFF0000, 12);
        assertRgb(d.image(), 28, 8, 0x00FF00, 12);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        // Stored 32 wide x 16 high: red left half, blue right half.
        byte[] jpeg = TestImages.jpeg(TestImages.rgb(32, 16, (x, y) -> x < 16 ? 0xFF0000 : 0x0000FF));
        DecodedImage clockwise = decode(TestImages.withExifOrientation(jpeg, 6)).image();
        assertEquals(16, clockwise.width());
        assertEquals(32, clockwise.height());
        assertRgb(clockwise, 8, 4, 0xFF0000, 12);   // the left half is now on top
        assertRgb(clockwise, 8, 28, 0x0000FF, 12);
        DecodedImage counterClockwise = decode(TestImages.withExifOrientation(jpeg, 8)).image();
        assertEquals(16, counterClockwise.width());
        assertRgb(counterClockwise, 8, 4, 0x0000FF, 12);   // the left half is now at the bottom
        assertRgb(counterClockwise, 8, 28, 0xFF0000, 12);
        DecodedImage upsideDown = decode(TestImages.withExifOrientation(jpeg, 3)).image();
        assertEquals(32, upsideDown.width());
        assertRgb(upsideDown, 4, 8, 0x0000FF, 12);
        DecodedImage upright = decode(TestImages.withExifOrientation(jpeg, 1)).image();
        assertRgb(upright, 4, 8, 0xFF0000, 12);
    }

    @Test
    void brokenFilesAreRejectedWithAReason() {
        byte[] jpeg = TestImages.jpeg(TestImages.rgb(64, 64, (x, y) -> x * 4 << 16 | y * 4));
        byte[] png = TestImages.encode(TestImages.rgb(64, 64, (x, y) -> x * 4 << 16 | y * 4 << 8 | (x ^ y)), "png");
        assertReason(new byte[0], "empty");
        assertReason("hello, I am not a picture\n".getBytes(), "not an image");
        assertReason(Arrays.copyOf(jpeg, jpeg.length / 2), "truncated");
        assertReason(Arrays.copyOf(png, png.length / 2), "corrupt or truncated");
        byte[] corrupt = png.clone();
        for (int i = 60; i < 90; i++) {
            corrupt[i] ^= 0x5A;
        }
        assertReason(corrupt, "corrupt");
        assertReason(TestImages.pngClaiming(40000, 40000), "40000x40000");
        assertReason(TestImages.jpegClaiming(jpeg, 60000, 60000), "decompression bomb");
    }

    @Test
    void pixelLimitIsConfigurable() throws Exception {
        byte[] png = TestImages.solidPng(20, 10, 0);
        assertThrows(ImageRejectedException.class, () -> new ImageDecoder(199).decode(png));
        assertEquals(20, new ImageDecoder(200).decode(png).image().width());
    }

    private void assertReason(byte[] bytes, String expected) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains(expected), "expected a reason containing '" + expected + "', got: "
                + e.getMessage());
    }
}
