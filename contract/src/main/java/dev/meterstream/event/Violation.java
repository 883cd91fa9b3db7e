package dev.meterstream.event;

/**
 * Why an event was rejected: the field (as the client named it) and the rule it broke, in words a client developer
 * can act on.
 */
public record Violation(String field, String detail) {
}
