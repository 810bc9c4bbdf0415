package org.tl4j.datasets.digits;

import java.util.ArrayList;
import java.util.List;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.GrayImage;

/**
 * Cuts OpenCV's {@code digits.png} into its cells: 50 rows by 100 columns of 20x20 handwritten digits,
 * 5 rows per digit (rows 0-4 are zeros, 5-9 ones, ...), 500 of each digit.
 */
public final class DigitSheet {

    public static final int CELL = 20;
    public static final int ROWS = 50;
    public static final int COLUMNS = 100;
    public static final int ROWS_PER_DIGIT = 5;

    private DigitSheet() {
    }

    /** One cell: where it sits on the sheet, which digit it shows, its pixels. */
    public record Cell(int row, int column, int digit, GrayImage image) {

        /** A stable file name that says where the cell came from, e.g. {@code r07-c042.png}. */
        public String fileName() {
            return String.format("r%02d-c%03d.png", row, column);
        }
    }

    /**
     * Every cell of the sheet, row by row.
     *
     * @param source names the sheet in error messages
     */
    public static List<Cell> cells(GrayImage sheet, String source) {
        if (sheet.width() != COLUMNS * CELL || sheet.height() != ROWS * CELL) {
            throw new DatasetException(source + " is " + sheet.width() + "x" + sheet.height() + " pixels; OpenCV's digits.png is "
                    + COLUMNS * CELL + "x" + ROWS * CELL + " (" + ROWS + " rows x " + COLUMNS + " columns of "
                    + CELL + "x" + CELL + " cells): point --source-file at the right file");
        }
        List<Cell> cells = new ArrayList<>(ROWS * COLUMNS);
        for (int row = 0; row < ROWS; row++) {
            for (int column = 0; column < COLUMNS; column++) {
                cells.add(new Cell(row, column, row / ROWS_PER_DIGIT, cut(sheet, row, column)));
            }
        }
        return cells;
    }

    private static GrayImage cut(GrayImage sheet, int row, int column) {
        byte[] pixels = new byte[CELL * CELL];
        for (int y = 0; y < CELL; y++) {
            System.arraycopy(sheet.pixels(), (row * CELL + y) * sheet.width() + column * CELL, pixels, y * CELL, CELL);
        }
        return new GrayImage(CELL, CELL, pixels);
    }
}
