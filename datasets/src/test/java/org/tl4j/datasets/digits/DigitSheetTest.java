package org.tl4j.datasets.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.GrayImage;

class DigitSheetTest {

    /** A synthetic 2000x1000 sheet whose pixel at (x, y) encodes its cell row, column and position in the cell. */
    private static GrayImage syntheticSheet() {
        int w = 2000;
        int h = 1000;
        byte[] pixels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = (byte) value(y / 20, x / 20, x % 20, y % 20);
            }
        }
        return new GrayImage(w, h, pixels);
    }

    private static int value(int row, int column, int cx, int cy) {
        return (row * 7 + column * 3 + cx * 5 + cy * 11) & 0xFF;
    }

    @Test
    void cuts5000CellsOf20x20With500PerDigitAnd5RowsPerDigit() {
        List<DigitSheet.Cell> cells = DigitSheet.cells(syntheticSheet(), "synthetic");
        assertEquals(5000, cells.size());
        Map<Integer, Long> perDigit = cells.stream().collect(Collectors.groupingBy(DigitSheet.Cell::digit, Collectors.counting()));
        for (int d = 0; d < 10; d++) {
            assertEquals(500L, perDigit.get(d), "digit " + d);
        }
        assertEquals(0, cells.get(0).digit());
        assertEquals(0, cells.get(4 * 100 + 99).digit(), "row 4 is still zeros");
        assertEquals(1, cells.get(5 * 100).digit(), "row 5 starts the ones");
        assertEquals(9, cells.get(4999).digit());
    }

    @Test
    void eachCellHoldsExactlyItsPixels() {
        Map<String, DigitSheet.Cell> byName = DigitSheet.cells(syntheticSheet(), "synthetic").stream()
                .collect(Collectors.toMap(DigitSheet.Cell::fileName, Function.identity()));
        for (int[] rc : new int[][] {{0, 0}, {17, 42}, {49, 99}}) {
            DigitSheet.Cell cell = byName.get(String.format("r%02d-c%03d.png", rc[0], rc[1]));
            assertEquals(20, cell.image().width());
            for (int cy = 0; cy < 20; cy++) {
                for (int cx = 0; cx < 20; cx++) {
                    assertEquals(value(rc[0], rc[1], cx, cy), cell.image().get(cx, cy), "cell " + cell.fileName());
                }
            }
        }
    }

    @Test
    void sheetOfTheWrongSizeIsRejectedWithItsName() {
        GrayImage wrong = new GrayImage(100, 50, new byte[5000]);
        DatasetException e = assertThrows(DatasetException.class, () -> DigitSheet.cells(wrong, "other.png"));
        assertEquals(true, e.getMessage().contains("other.png"));
    }
}
