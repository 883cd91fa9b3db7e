package dev.meterstream.processor.topology;

import dev.meterstream.event.UsageEvent;

/**
 * A raw record after decoding: the event, or the original bytes and why they could not be read (for the
 * dead-letter topic).
 */
record Decoded(UsageEvent event, byte[] raw, String error) {
    static Decoded of(final UsageEvent event) {
        return new Decoded(event, null, null);
    }

    static Decoded failed(final byte[] raw, final String error) {
        return new Decoded(null, raw, error);
    }

    boolean ok() {
        return event != null;
    }
}
