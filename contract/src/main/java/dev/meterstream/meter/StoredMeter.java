package dev.meterstream.meter;

import dev.meterstream.event.EventKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A tenant's meter as the definitions topic keeps it (one record per meter, compacted): its definition, which
 * version of it this is, and whether it was deleted. A version is a computation: results are kept per version, a
 * new one is computed over the whole event log, and an old one stays readable. Deleting keeps the record (not a
 * tombstone), so that history stays readable and a later definition of the same slug gets a new version.
 *
 * @param tenant     whose meter it is
 * @param definition what it computes, as last put
 * @param version    1 for the first definition; one more for each definition that computes something else
 * @param createdAt  when the slug was first defined
 * @param versionAt  when this version was defined
 * @param updatedAt  when the record last changed (a description, a new version, a delete)
 * @param deleted    whether it was deleted: it counts nothing from then on
 * @param earlier    what each earlier version computed, by version: their results stay readable, and reading them
 *                   needs their own aggregation, value and dimensions (records written before this was kept have
 *                   none: {@link #definitionOf})
 */
public record StoredMeter(String tenant, MeterDefinition definition, int version, Instant createdAt,
                          Instant versionAt, Instant updatedAt, boolean deleted,
                          SortedMap<Integer, MeterDefinition> earlier) {
    public StoredMeter {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(versionAt, "versionAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        earlier = Collections.unmodifiableSortedMap(new TreeMap<>(earlier));
        if (!earlier.isEmpty() && (earlier.firstKey() < 1 || earlier.lastKey() >= version)) {
            throw new IllegalArgumentException("earlier versions must be 1 to " + (version - 1) + ", were "
                    + earlier.keySet());
        }
    }

    /** A meter with no earlier versions recorded. */
    public StoredMeter(final String tenant, final MeterDefinition definition, final int version,
                       final Instant createdAt, final Instant versionAt, final Instant updatedAt,
                       final boolean deleted) {
        this(tenant, definition, version, createdAt, versionAt, updatedAt, deleted, new TreeMap<>());
    }

    /**
     * What {@code version} computed: this version's definition, or an earlier one's. An earlier version not
     * recorded (a record written before they were kept) is read as the current definition, as it was then.
     */
    public MeterDefinition definitionOf(final int version) {
        return version == this.version ? definition : earlier.getOrDefault(version, definition);
    }

    /** The earlier versions of a meter that gets a new one: these and this version. */
    private SortedMap<Integer, MeterDefinition> withThis() {
        final SortedMap<Integer, MeterDefinition> versions = new TreeMap<>(earlier);
        versions.put(version, definition);
        return versions;
    }

    /** What a PUT did: made the meter, changed it, or found it as asked. */
    public enum Outcome {
        /** No meter had this slug, or only a deleted one: 201. */
        CREATED,
        /** A new version, or a new description of the same version: 200. */
        UPDATED,
        /** The same definition was already stored: 200, and nothing is written. */
        UNCHANGED
    }

    /** A PUT's result: the record to store (the current one when unchanged) and what happened. */
    public record Put(StoredMeter meter, Outcome outcome) {
    }

    /** The key of a tenant's meter in the definitions topic: {@code tenant/slug}, formed as an event's key is. */
    public static String key(final String tenant, final String slug) {
        return EventKey.of(tenant, slug);
    }

    public String key() {
        return key(tenant, definition.slug());
    }

    /**
     * Puts {@code proposed} over {@code current}. The same computation keeps its version (only the description
     * may change); another computation, or a slug defined again after a delete, is a new version, which is
     * computed from the start of the log: the events while it was deleted count too, as they would have had it
     * been defined first.
     */
    public static Put put(final Optional<StoredMeter> current, final String tenant, final MeterDefinition proposed,
                          final Instant now) {
        if (current.isEmpty()) {
            return new Put(new StoredMeter(tenant, proposed, 1, now, now, now, false), Outcome.CREATED);
        }
        final StoredMeter stored = current.get();
        if (!stored.tenant.equals(tenant) || !stored.definition.slug().equals(proposed.slug())) {
            throw new IllegalArgumentException("the stored meter " + stored.key() + " is not " + key(tenant,
                    proposed.slug()));
        }
        if (stored.deleted) {
            return new Put(new StoredMeter(tenant, proposed, stored.version + 1, stored.createdAt, now, now, false,
                    stored.withThis()), Outcome.CREATED);
        }
        if (!stored.definition.sameComputation(proposed)) {
            return new Put(new StoredMeter(tenant, proposed, stored.version + 1, stored.createdAt, now, now, false,
                    stored.withThis()), Outcome.UPDATED);
        }
        if (stored.definition.equals(proposed)) {
            return new Put(stored, Outcome.UNCHANGED);
        }
        return new Put(new StoredMeter(tenant, proposed, stored.version, stored.createdAt, stored.versionAt, now,
                false, stored.earlier), Outcome.UPDATED);
    }

    /** This meter deleted at {@code now}: it stops counting; what it counted stays readable. */
    public StoredMeter delete(final Instant now) {
        return new StoredMeter(tenant, definition, version, createdAt, versionAt, now, true, earlier);
    }
}
