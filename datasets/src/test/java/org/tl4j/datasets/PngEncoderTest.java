package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

    @Test
    void imageIoDecodesTheSamePixels() throws IOException {
        int w = 7;
        int h = 5;
        byte[] pixels = new byte[w * h];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(new GrayImage(w, h, pixels))));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, decoded.getType());
        assertEquals(w, decoded.getWidth());
        assertEquals(h, decoded.getHeight());
        GrayImage back = GrayImages.fromRaster(decoded.getRaster());
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(pixels[i] & 0xFF, back.pixels()[i] & 0xFF, "pixel " + i);
        }
    }
}
