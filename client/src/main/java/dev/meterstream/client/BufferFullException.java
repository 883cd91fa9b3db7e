package dev.meterstream.client;

import java.time.Duration;

/** {@link MeterstreamClient#send} found no room in the buffer within {@code maxBlock}: the event was not queued. */
public final class BufferFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    BufferFullException(final Duration waited) {
        super("no room in the client's buffer within " + waited + ": ingest-api is slower than the events come, "
                + "or unreachable");
    }
}
