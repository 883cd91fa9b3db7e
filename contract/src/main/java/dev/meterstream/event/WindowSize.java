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

    /** The end (exclusive) of the window starting at {@code start}: where the next one starts. */
    public Instant end(final Instant start) {
        return start.plus(duration());
    }

    /**
     * This size's code in the binary formats (meter keys, window aggregates): fixed, not the ordinal, since their
     * records outlive any reordering of these constants (meter keys in stores, aggregates on a compacted topic).
     */
    public int code() {
        return switch (this) {
            case MINUTE -> 1;
            case HOUR -> 2;
            case DAY -> 3;
        };
    }

    /** The size of a {@link #code}; {@link IllegalArgumentException} for any other number. */
    public static WindowSize ofCode(final int code) {
        return switch (code) {
            case 1 -> MINUTE;
            case 2 -> HOUR;
            case 3 -> DAY;
            default -> throw new IllegalArgumentException("no window size has code " + code);
        };
    }
}
