package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoadReportTest {
    private static final long T0 = 1_795_470_707L;
    private final LoadProfile profile = LoadProfile.parse(List.of("--stages", "10s:100", "--p99-ms", "50"));

    /** A second at the profile's rate with the given p99. */
    private LoadReport.Second second(final int at, final long p99) {
        final long offered = Math.round(profile.rateAt(Duration.ofSeconds(at)));
        return new LoadReport.Second(T0 + at, offered, offered, offered, offered, Map.of("202", offered), 5, 10, p99,
                p99, p99, 0);
    }

    private String saturation(final long... p99s) {
        final List<LoadReport.Second> seconds = new ArrayList<>();
        for (int at = 0; at < p99s.length; at++) {
            seconds.add(second(at, p99s[at]));
        }
        return new LoadReport(new LoadReport.Inputs(profile, "run", "machine", new Properties(), seconds, List.of(),
                null, Duration.ofSeconds(1), Duration.ofSeconds(60), ProcessorReading.UNKNOWN, List.of(), ""))
                .saturation();
    }

    @Test
    void shouldNotCallOneSlowSecondSaturation() {
        assertEquals("", saturation(700, 20, 20, 90, 90, 20, 20, 20, 20, 20));
    }

    @Test
    void shouldNameTheFirstOfThreeSlowSecondsInARow() {
        final String saturation = saturation(700, 20, 20, 90, 20, 60, 80, 900, 20, 20);
        assertTrue(saturation.startsWith("first saturated 5 s in (for 3 s in a row), offered 50 requests/s (50% of "
                + "the peak target), answered 202 50/s: p99 60 ms."), saturation);
    }
}
