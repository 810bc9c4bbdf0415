package org.tl4j.zoo.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.tl4j.zoo.onnx.SpatialGeometry.PoolingMode;
import org.tl4j.zoo.onnx.SpatialGeometry.PoolingPlan;

class SpatialGeometryTest {

    @Test
    void ceilModeOutputFollowsPyTorch() {
        // GoogLeNet's MaxPool2d(3, 2, ceil_mode=True) on 112, 56, 28, 14.
        assertEquals(56, SpatialGeometry.poolOutput(112, 3, 2, 1, 0, 0, true));
        assertEquals(28, SpatialGeometry.poolOutput(56, 3, 2, 1, 0, 0, true));
        assertEquals(7, SpatialGeometry.poolOutput(14, 3, 2, 1, 0, 0, true));
        assertEquals(55, SpatialGeometry.poolOutput(112, 3, 2, 1, 0, 0, false));
        // The last window must start inside the input or the begin padding: 5 with pad 1, k2, s2 -> 3 not 4.
        assertEquals(3, SpatialGeometry.poolOutput(5, 2, 2, 1, 1, 1, true));
    }

    @Test
    void ceilModeMaxPoolUsesDl4jSameMode() {
        PoolingPlan plan = SpatialGeometry.planPooling(new long[] {112, 112}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 0, 0, 0}, new long[] {56, 56}, true, false);
        assertEquals(PoolingMode.SAME, plan.mode());
    }

    @Test
    void symmetricPaddingUsesTruncateWithThatPadding() {
        PoolingPlan plan = SpatialGeometry.planPooling(new long[] {112, 112}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1, 1, 1}, new long[] {56, 56}, true, false);
        assertEquals(PoolingMode.TRUNCATE, plan.mode());
        assertArrayEquals(new int[] {1, 1}, plan.padding());
    }

    @Test
    void unusedEndPaddingNeedsNoPadding() {
        // Caffe-converted pools: pads [0,0,1,1] on 15 with k3 s2 give 7 windows that never reach the padding.
        PoolingPlan plan = SpatialGeometry.planPooling(new long[] {15, 15}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 0, 1, 1}, new long[] {7, 7}, true, false);
        assertEquals(PoolingMode.TRUNCATE, plan.mode());
        assertArrayEquals(new int[] {0, 0}, plan.padding());
    }

    @Test
    void maxPoolWithLeadingExtraPaddingHasNoExactDl4jForm() {
        // SAME_LOWER: the odd padding cell comes first; DL4J's Same mode puts it last, zeros would change maxima.
        assertNull(SpatialGeometry.planPooling(new long[] {32, 32}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1, 0, 0}, new long[] {32, 32}, true, false));
    }

    @Test
    void averagePoolCountingPaddingMayBeZeroPadded() {
        PoolingPlan plan = SpatialGeometry.planPooling(new long[] {32, 32}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1, 0, 0}, new long[] {32, 32}, false, true);
        assertEquals(PoolingMode.ZERO_PAD_THEN_TRUNCATE, plan.mode());
        assertArrayEquals(new int[] {1, 0, 1, 0}, plan.zeroPadding());
    }

    @Test
    void sameUpperPutsTheOddCellAtTheEnd() {
        int[] pads = SpatialGeometry.explicitPads("SAME_UPPER", null, new long[] {5, 5}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, null);
        assertArrayEquals(new int[] {0, 0, 1, 1}, pads);
        pads = SpatialGeometry.explicitPads("SAME_LOWER", null, new long[] {5, 5}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, null);
        assertArrayEquals(new int[] {1, 1, 0, 0}, pads);
    }
}
