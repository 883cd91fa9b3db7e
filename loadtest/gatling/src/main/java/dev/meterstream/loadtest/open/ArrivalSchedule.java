package dev.meterstream.loadtest.open;

import java.util.ArrayList;
import java.util.List;

/**
 * When the requests of an open-model load arrive: k6-style stages, each ramping linearly from the previous target
 * (0 at first) to its own, in requests per second. Arrivals follow the integral of the rate, so they are due at
 * their times whatever became of earlier ones; a slow system cannot slow the load down (no coordinated omission).
 */
final class ArrivalSchedule {
    private record Stage(double start, double seconds, double from, double to, double before) {
    }

    private final List<Stage> stages;
    private final double seconds;

    private ArrivalSchedule(final List<Stage> stages, final double seconds) {
        this.stages = stages;
        this.seconds = seconds;
    }

    /** {@code 30:5000,180:17000,30:0}: seconds:target pairs, as LoadProfile writes them. */
    static ArrivalSchedule parse(final String text) {
        final List<Stage> stages = new ArrayList<>();
        double start = 0;
        double previous = 0;
        double arrivals = 0;
        for (final String stage : text.split(",")) {
            final String[] parts = stage.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("load.stages: expected seconds:rate pairs, got '" + stage + "'");
            }
            final double seconds = Double.parseDouble(parts[0]);
            final double target = Double.parseDouble(parts[1]);
            if (seconds <= 0 || target < 0) {
                throw new IllegalArgumentException("load.stages: '" + stage + "' needs seconds > 0 and rate >= 0");
            }
            stages.add(new Stage(start, seconds, previous, target, arrivals));
            arrivals += (previous + target) / 2 * seconds;
            start += seconds;
            previous = target;
        }
        return new ArrivalSchedule(List.copyOf(stages), start);
    }

    /** The schedule's length in seconds. */
    double seconds() {
        return seconds;
    }

    /** How many requests have arrived by {@code elapsed} seconds from the start. */
    long arrivalsBy(final double elapsed) {
        double total = 0;
        for (final Stage stage : stages) {
            if (elapsed >= stage.start + stage.seconds) {
                total = stage.before + (stage.from + stage.to) / 2 * stage.seconds;
                continue;
            }
            if (elapsed > stage.start) {
                final double s = elapsed - stage.start;
                total = stage.before + stage.from * s + (stage.to - stage.from) * s * s / (2 * stage.seconds);
            }
            break;
        }
        return (long) Math.floor(total + 1e-9);
    }
}
