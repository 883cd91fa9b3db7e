package dev.meterstream.processor.meter;

import dev.meterstream.meter.StoredMeter;
import java.util.Map;

/**
 * One meter version to backfill and where live counting began on each shard: the backfill folds each shard's
 * events below its boundary.
 */
public record Backfill(StoredMeter meter, Map<Integer, Long> boundaries) {
    public Backfill {
        boundaries = Map.copyOf(boundaries);
    }

    /** Whether there is nothing to fold: every shard began counting live at its first event. */
    boolean empty() {
        return boundaries.values().stream().allMatch(boundary -> boundary == 0);
    }
}
