package dev.meterstream.loadtest.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    @Test
    void shouldRampLinearlyThenHoldThenRampDown() {
        final ArrivalSchedule schedule = ArrivalSchedule.parse("10:100,20:100,10:0");
        assertEquals(40, schedule.seconds());
        assertEquals(0, schedule.arrivalsBy(0));
        assertEquals(125, schedule.arrivalsBy(5), "half way up the ramp: 100/10 * 5^2 / 2");
        assertEquals(500, schedule.arrivalsBy(10));
        assertEquals(1_500, schedule.arrivalsBy(20));
        assertEquals(2_500, schedule.arrivalsBy(30));
        assertEquals(3_000, schedule.arrivalsBy(40));
        assertEquals(3_000, schedule.arrivalsBy(100), "nothing arrives after the last stage");
    }

    @Test
    void shouldRefuseAStageWithoutSecondsAndRate() {
        assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.parse("0:100"));
    }
}
