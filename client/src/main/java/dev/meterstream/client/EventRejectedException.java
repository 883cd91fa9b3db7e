package dev.meterstream.client;

import java.util.List;

/**
 * ingest-api refused an event: it breaks the rules listed. Nothing of it was stored, and sending it again unchanged
 * gets the same answer.
 */
public final class EventRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final transient List<Violation> violations;

    EventRejectedException(final String id, final List<Violation> violations) {
        super("event " + id + " was rejected: " + violations);
        this.id = id;
        this.violations = List.copyOf(violations);
    }

    public String id() {
        return id;
    }

    public List<Violation> violations() {
        return violations;
    }
}
