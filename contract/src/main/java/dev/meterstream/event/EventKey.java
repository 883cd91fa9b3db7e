package dev.meterstream.event;

/**
 * The Kafka key of an event: {@code <tenant>/<id>}. Tenants are slugs (no '/'), so the key splits unambiguously
 * even though ids may contain '/'.
 */
public final class EventKey {
    private EventKey() {
    }

    public static String of(final String tenant, final String id) {
        return tenant + '/' + id;
    }
}
