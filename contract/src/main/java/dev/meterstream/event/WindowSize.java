package dev.meterstream.event;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The aggregation windows: UTC minutes, hours and days of event time. */
public enum WindowSize {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    WindowSize(final ChronoUnit unit) {
        this.unit = unit;
    }

    /** The start of the window holding {@code time} (UTC). */
    public Instant start(final Instant time) {
        return time.truncatedTo(unit);
    }

    public Duration duration() {
        return unit.getDuration();
    }
}
