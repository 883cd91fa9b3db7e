package dev.meterstream.client;

/**
 * An event the client could not get acknowledged. If {@link #mayBeStored()}, the server may hold it (the last try
 * timed out, lost its connection or was answered 503): send it again later with the same id, and it is counted once.
 * Otherwise nothing of it was stored (a 4xx such as a bad key, or the client was closed before it was sent).
 */
public final class DeliveryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final int status;
    private final String problemType;
    private final boolean mayBeStored;

    DeliveryFailedException(final String id, final String message, final int status, final String problemType,
                            final boolean mayBeStored, final Throwable cause) {
        super("event " + id + " was not delivered: " + message, cause);
        this.id = id;
        this.status = status;
        this.problemType = problemType;
        this.mayBeStored = mayBeStored;
    }

    public String id() {
        return id;
    }

    /** The last HTTP status answered, or 0 if there was no answer. */
    public int status() {
        return status;
    }

    /** The last problem's {@code type} ({@code /problems/...}), or null. */
    public String problemType() {
        return problemType;
    }

    public boolean mayBeStored() {
        return mayBeStored;
    }
}
