package dev.meterstream.client;

/**
 * A rule an event broke, as ingest-api named it.
 *
 * @param field  the field, as the event has it ({@code subject}, {@code properties.region})
 * @param detail the rule, in words
 */
public record Violation(String field, String detail) {
}
