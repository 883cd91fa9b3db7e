package dev.meterstream.ingest;

import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.event.EventRules;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Settings for tests: one key per tenant, small limits so that limit tests stay small. */
final class TestSettings {
    static final String ACME_KEY = "ms_test-key-acme";
    static final String LIMITED_KEY = "ms_test-key-limited";
    /** A tenant allowed to send events without ids. */
    static final String SERVER_IDS_TENANT = "legacy";
    static final String LEGACY_KEY = "ms_test-key-legacy";

    private TestSettings() {
    }

    static IngestSettings create(final String bootstrapServers) {
        return new IngestSettings(KafkaConnection.plain(bootstrapServers), 3, Duration.ofDays(7), Duration.ofSeconds(2), Duration.ofMillis(50),
                8L * 1024 * 1024, 1, 16 * 1024, "lz4", 5, 4096, 1000, Duration.ofSeconds(1), EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5)),
                ApiKeys.of(Map.of(ApiKeys.sha256(ACME_KEY), "acme", ApiKeys.sha256(LIMITED_KEY), "limited",
                        ApiKeys.sha256(LEGACY_KEY), SERVER_IDS_TENANT)),
                0, Map.of("limited", 2.0), Set.of(SERVER_IDS_TENANT));
    }
}
