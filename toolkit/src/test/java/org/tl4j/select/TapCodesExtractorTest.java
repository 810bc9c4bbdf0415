package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The raw-pixel baseline's block averaging and the tap pooling. */
class TapCodesExtractorTest {

    @Test
    void smallInputsStayWholeAndLargeOnesAreBlockAveragedUnderTheLimit() {
        assertEquals(1, TapCodesExtractor.rawPixelFactor(1, 32, 32));
        assertEquals(2, TapCodesExtractor.rawPixelFactor(3, 32, 32)); // 3 x 16 x 16
        assertEquals(4, TapCodesExtractor.rawPixelFactor(3, 64, 64));
        assertEquals(7, TapCodesExtractor.rawPixelFactor(3, 128, 128));
        assertEquals(12, TapCodesExtractor.rawPixelFactor(3, 224, 224)); // 3 x 18 x 18 after 12x12 blocks
    }

    @Test
    void blockAverageOfA32x32RgbImageBy2() {
        // Value (c, y, x) = 100 y + x + c, so the 2x2 block (0, 0) of channel 0 averages (0 + 1 + 100 + 101) / 4.
        INDArray image = Nd4j.create(DataType.DOUBLE, 2, 3, 32, 32);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image.putScalar(new long[] {1, c, y, x}, 100.0 * y + x + c);
                }
            }
        }
        INDArray flat = TapCodesExtractor.downsampled(image);
        assertArrayEquals(new long[] {2, 3 * 16 * 16}, flat.shape());
        assertEquals(50.5, flat.getDouble(1, 0), 1e-9);
        assertEquals(50.5 + 2 + 200, flat.getDouble(1, 1 + 16), 1e-9); // block (1, 1) of channel 0
        assertEquals(50.5 + 1, flat.getDouble(1, 16 * 16), 1e-9);       // block (0, 0) of channel 1
        assertEquals(0, flat.getDouble(0, 5), 0);
    }

    @Test
    void featureMapsAreAveragedOverHeightAndWidth() {
        INDArray map = Nd4j.arange(16).castTo(DataType.DOUBLE).reshape(1, 1, 4, 4);
        assertEquals(7.5, TapCodesExtractor.pooled(map).getDouble(0, 0), 1e-12);
    }
}
