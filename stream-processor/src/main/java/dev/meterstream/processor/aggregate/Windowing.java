package dev.meterstream.processor.aggregate;

import dev.meterstream.event.WindowSize;
import java.time.Duration;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The event-time windows of each size. Grace is the lateness horizon plus a day: the edge accepts events up to
 * the horizon older than the time it received them, stream time runs ahead of that by at most the edge's future
 * tolerance and the processing delay, and the day covers both, so nothing the edge accepted is dropped as late.
 * Store retention is window size plus grace.
 */
public final class Windowing {
    public static final Duration SLACK = Duration.ofDays(1);

    private Windowing() {
    }

    public static TimeWindows windows(final WindowSize size, final Duration latenessHorizon) {
        return TimeWindows.ofSizeAndGrace(size.duration(), latenessHorizon.plus(SLACK));
    }

    public static Duration retention(final WindowSize size, final Duration latenessHorizon) {
        return size.duration().plus(latenessHorizon).plus(SLACK);
    }

}
