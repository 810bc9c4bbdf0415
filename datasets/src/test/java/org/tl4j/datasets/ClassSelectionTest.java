package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassSelectionTest {

    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    @Test
    void rangesListsAndNamesSelectClasses() {
        assertEquals(List.of(5, 6, 7, 8, 9), ClassSelection.parse("5-9", NAMES).indices());
        assertEquals(List.of(0, 2, 4), ClassSelection.parse("0,2,4", NAMES).indices());
        assertEquals(List.of(1, 3, 7, 8), ClassSelection.parse("eight, 1,7,three", NAMES).indices());
        assertEquals(10, ClassSelection.parse(null, NAMES).indices().size());
    }

    @Test
    void badSelectionsNameTheProblem() {
        DatasetException outOfRange = assertThrows(DatasetException.class, () -> ClassSelection.parse("3-12", NAMES));
        assertTrue(outOfRange.getMessage().contains("12"), outOfRange.getMessage());
        assertThrows(DatasetException.class, () -> ClassSelection.parse("9-5", NAMES));
        assertThrows(DatasetException.class, () -> ClassSelection.parse("cat", NAMES));
        assertThrows(DatasetException.class, () -> ClassSelection.parse("1,,2", NAMES));
    }
}
