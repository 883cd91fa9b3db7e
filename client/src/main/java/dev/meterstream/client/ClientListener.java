package dev.meterstream.client;

import java.time.Duration;

/**
 * Hooks for a producer's metrics: each is called on the client's own threads, and must return quickly. All do
 * nothing unless overridden.
 */
public interface ClientListener {
    /** A request is about to be sent with {@code events} events in {@code bytes} bytes (compressed, if it is). */
    default void requestSent(final int events, final int bytes) {
    }

    /** A request was answered with {@code status} after {@code took}. */
    default void answered(final int status, final int events, final Duration took) {
    }

    /** A request will be sent again after {@code delay}: the answer was {@code reason}. */
    default void retrying(final int events, final int attempt, final String reason, final Duration delay) {
    }

    default void delivered(final int events) {
    }

    default void rejected(final int events) {
    }

    default void failed(final int events) {
    }

    /** {@link MeterstreamClient#send} waited {@code waited} for room in the buffer. */
    default void blocked(final Duration waited) {
    }
}
