package dev.meterstream.processor.topology;

import dev.meterstream.event.EventRules;
import java.time.Duration;

/**
 * What the topology's steps are built from: the part of the processor's settings the topology reads, so that the
 * topology does not depend on the service's wiring ({@code ProcessorSettings#topology()} makes it).
 *
 * @param rules           the event rules every raw record is checked against
 * @param dedupeHotWindow how long ids stay in the in-memory dedupe tier
 * @param dedupeHotMaxIds most ids in the in-memory tier per task
 * @param commitInterval  how often a transaction commits (the shard rollup emits at that pace)
 * @param meterStateEntries most defined meters' states a task holds as objects between commits
 * @param seriesWindowEntries most written series totals (minute, hour, day) a task holds as objects
 */
public record TopologySettings(EventRules rules, Duration dedupeHotWindow, int dedupeHotMaxIds,
                               Duration commitInterval, int meterStateEntries,
                               int seriesWindowEntries) {
    /** Events this much older than the newest are still counted (and their copies still dropped). */
    public Duration latenessHorizon() {
        return rules.latenessHorizon();
    }
}
