package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.tl4j.data.InvalidInputException;

class SchedulesTest {

    @Test
    void inverseTimeIsFlatUntilTauThenDecaysAsOneOverT() {
        ISchedule s = new InverseTimeSchedule(ScheduleType.ITERATION, 0.1, 100);
        assertEquals(0.1, s.valueAt(0, 0), 1e-15);
        assertEquals(0.1, s.valueAt(100, 0), 1e-15);
        assertEquals(0.05, s.valueAt(200, 0), 1e-15);
        assertEquals(0.01, s.valueAt(1000, 0), 1e-15);
    }

    @Test
    void inverseTimeCanCountEpochs() {
        ISchedule s = new InverseTimeSchedule(ScheduleType.EPOCH, 1.0, 2);
        assertEquals(1.0, s.valueAt(5000, 1), 1e-15);
        assertEquals(0.5, s.valueAt(5000, 4), 1e-15);
    }

    @Test
    void scaledScheduleMultipliesEveryStep() {
        ISchedule s = new ScaledSchedule(new InverseTimeSchedule(ScheduleType.ITERATION, 0.1, 10), 0.25);
        assertEquals(0.025, s.valueAt(3, 0), 1e-15);
        assertEquals(0.0125, s.valueAt(20, 0), 1e-15);
        assertEquals(0.0, new ScaledSchedule(s, 0).valueAt(7, 0));
    }

    @Test
    void warmupRampsLinearlyThenFollows() {
        ISchedule s = Schedules.parse("constant,warmup=4", 0.8);
        assertEquals(0.2, s.valueAt(0, 0), 1e-12);
        assertEquals(0.6, s.valueAt(2, 0), 1e-12);
        assertEquals(0.8, s.valueAt(4, 0), 1e-12);
        assertEquals(0.8, s.valueAt(400, 0), 1e-12);
    }

    @Test
    void parsesEveryForm() {
        assertEquals(0.3, Schedules.parse("constant", 0.3).valueAt(999, 9), 1e-12);
        assertEquals(0.03, Schedules.parse("step:every=10,factor=0.1", 0.3).valueAt(10, 0), 1e-12);
        assertEquals(0.3 * 0.5 * 0.5, Schedules.parse("exp:gamma=0.5", 0.3).valueAt(2, 0), 1e-12);
        assertInstanceOf(InverseTimeSchedule.class, Schedules.parse("1/t:tau=50", 0.3));
        assertEquals(0.15, Schedules.parse("1/t:tau=50", 0.3).valueAt(100, 0), 1e-12);
    }

    @Test
    void badSchedulesNameTheAcceptedForms() {
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> Schedules.parse("cosine", 0.1));
        assertTrue(unknown.getMessage().contains("1/t:tau=N"), unknown.getMessage());
        assertThrows(InvalidInputException.class, () -> Schedules.parse("1/t", 0.1));
        assertThrows(InvalidInputException.class, () -> Schedules.parse("1/t:tau=-5", 0.1));
        assertThrows(InvalidInputException.class, () -> Schedules.parse("step:every=10,factor=0.1,bogus=2", 0.1));
    }

    @Test
    void schedulesSurviveDl4jJsonRoundTrip() throws Exception {
        // DL4J stores updater schedules in the model's JSON configuration with ND4J's shaded Jackson.
        ObjectMapper mapper = new ObjectMapper();
        mapper.enableDefaultTyping();
        ISchedule original = new LinearWarmupSchedule(
                new ScaledSchedule(new InverseTimeSchedule(ScheduleType.ITERATION, 0.1, 100), 10), 5);
        String json = mapper.writeValueAsString(original);
        ISchedule restored = mapper.readValue(json, ISchedule.class);
        assertEquals(original, restored);
        assertEquals(original.valueAt(300, 0), restored.valueAt(300, 0), 0);
    }
}
