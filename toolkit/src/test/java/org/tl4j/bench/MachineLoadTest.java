package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineLoadTest {

    @Test
    void busyTicksLeaveOutIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] ticks = MachineLoad.parseCpuLine("cpu  100 5 20 1000 50 1 2 3 7 0");
        assertArrayEquals(new long[] {131, 1181}, ticks);
    }

    @Test
    void rejectsAPerCoreLine() {
        assertThrows(IllegalArgumentException.class, () -> MachineLoad.parseCpuLine("cpu0 1 2 3 4 5 6 7 8"));
    }

    @Test
    void loadAverageIsTheFirstField() {
        assertEquals(1.27, MachineLoad.parseLoad1("1.27 0.52 0.20 1/86 9993\n"));
    }

    @Test
    void otherProcessesAreTheBusyTimeThisJvmDidNotUse() {
        MachineLoad before = new MachineLoad(1_000, 5_000, 0, 0, 1.0);
        // 2 s of wall time, 3 s of busy CPU in all (300 ticks), of which 1 s was this JVM: others used 1 core.
        MachineLoad after = new MachineLoad(1_300, 5_400, 1_000_000_000L, 2_000_000_000L, 2.0);
        assertEquals(1.0, after.othersCoresSince(before), 1e-9);
        assertEquals(0.5, after.ownCoresSince(before), 1e-9);
    }

    @Test
    void othersNeverGoBelowZero() {
        MachineLoad before = new MachineLoad(0, 0, 0, 0, 0);
        MachineLoad after = new MachineLoad(100, 200, 2_000_000_000L, 1_000_000_000L, 0);
        assertEquals(0.0, after.othersCoresSince(before));
    }

    @Test
    void samplesThisMachine() {
        MachineLoad sample = MachineLoad.sample();
        assertTrue(sample.totalTicks() >= sample.busyTicks() && sample.busyTicks() > 0, sample::toString);
        assertTrue(sample.load1() >= 0);
    }
}
