package dev.meterstream.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One usage event, as a producer sends it. The tenant is the API key's. {@code id} may be left null: the client then
 * makes one (a random UUID) when the event is sent, and keeps it through every retry, so that a retry can never be
 * counted as a second event.
 *
 * @param id         the event's id, 1-128 characters, or null for one made by the client
 * @param subject    who used it
 * @param meter      what was used (a slug like {@code api-calls})
 * @param quantity   how much; null for 1
 * @param timestamp  when; null for the time the server receives it
 * @param properties a flat map of strings, for defined meters' values and dimensions
 */
public record UsageEvent(String id, String subject, String meter, BigDecimal quantity, Instant timestamp,
                         Map<String, String> properties) {
    public UsageEvent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(meter, "meter");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** An event of quantity 1, now, with an id made by the client. */
    public static UsageEvent of(final String subject, final String meter) {
        return new UsageEvent(null, subject, meter, null, null, Map.of());
    }

    public UsageEvent withId(final String newId) {
        return new UsageEvent(newId, subject, meter, quantity, timestamp, properties);
    }

    public UsageEvent withQuantity(final BigDecimal newQuantity) {
        return new UsageEvent(id, subject, meter, newQuantity, timestamp, properties);
    }

    public UsageEvent withQuantity(final long newQuantity) {
        return withQuantity(BigDecimal.valueOf(newQuantity));
    }

    public UsageEvent withTimestamp(final Instant newTimestamp) {
        return new UsageEvent(id, subject, meter, quantity, newTimestamp, properties);
    }

    public UsageEvent withProperties(final Map<String, String> newProperties) {
        return new UsageEvent(id, subject, meter, quantity, timestamp, newProperties);
    }
}
