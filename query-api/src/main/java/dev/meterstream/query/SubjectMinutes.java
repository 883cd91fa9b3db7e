package dev.meterstream.query;

import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterCoverage;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterState;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A subject's minutes of a defined meter, folded from the subject's events when asked for, since they are not
 * stored ({@link dev.meterstream.meter.MeterWindowKey#readFromEvents}). Each event the version's states hold
 * ({@link MeterCoverage}) is taken as the processor takes it ({@link MeterInput#of}) and added to the answer as a
 * one-event state or a distinct value, which {@link DefinedUsage} merges as it merges stored rows. So the minutes
 * agree with the stored hours, exactly.
 *
 * <p>A subject's events are read whole, of every type (the table is keyed by subject and day, not type), so one
 * answer may read at most {@code maxEvents} for all its subjects and tiles together: one instance per answer
 * counts them. Past that the answer is a 400 that says to ask for hours or a shorter range.
 */
final class SubjectMinutes {
    private final EventQueries events;
    private final ViewReads reads;
    private final int maxEvents;
    /** Events this answer has read so far. */
    private int read;

    SubjectMinutes(final EventQueries events, final ViewReads reads, final int maxEvents) {
        this.events = events;
        this.reads = reads;
        this.maxEvents = maxEvents;
    }

    /** Folds the subject's events in [from, to) (on minute boundaries) into {@code usage}, by minute. */
    void fold(final String tenant, final String subject, final MeterDefinition definition,
              final Map<Integer, MeterCoverage> coverage, final Instant from, final Instant to,
              final DefinedUsage usage) {
        final int left = maxEvents - read;
        final EventQueries.Page page = events.bySubject(reads, tenant, subject, from, to, left + 1, Optional.empty());
        read += page.events().size();
        // A next page means the range holds more rows than this answer may still read. Rows, not events: a row
        // stored before V010 and not yet rebuilt has no event, and is read all the same.
        if (page.nextCursor().isPresent()) {
            throw new ProblemException(Problem.of(400, "too-many-events", "Too many events to fold",
                    "a subject's minutes are folded from its events, and this answer would read more than "
                            + maxEvents + " of them (query.max-folded-events): ask for HOUR windows, or a shorter "
                            + "range"));
        }
        final Aggregation aggregation = definition.aggregation();
        for (final EventQueries.StoredEvent stored : page.events()) {
            MeterCoverage.input(definition, coverage, stored.logged()).ifPresent(input -> {
                final Instant minute = WindowSize.MINUTE.start(input.time());
                if (aggregation == Aggregation.UNIQUE_COUNT) {
                    usage.add(new DefinedMeterQueries.DistinctRow(minute, input.groups(), input.text()));
                } else {
                    usage.add(new DefinedMeterQueries.StateRow(minute, input.groups(),
                            MeterState.empty().add(aggregation, input)));
                }
            });
        }
    }
}
