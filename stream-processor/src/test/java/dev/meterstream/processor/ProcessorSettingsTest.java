package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.support.config.ServiceConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** How failover is configured: standby replicas and the session timeout reach Kafka Streams, with their keys. */
class ProcessorSettingsTest {
    private static final Map<String, String> IDENTITY = Map.of("processor.application-id", "p",
            ServiceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092", "processor.state-dir", "/tmp/p");

    @Test
    void shouldPassStandbyReplicasAndTheSessionTimeoutToKafkaStreams() {
        final Properties defaults = ProcessorSettings.from(ServiceConfig.defaults(ProcessorSettings.DEFAULTS,
                IDENTITY)).streamsConfig();
        assertEquals(0, defaults.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals(45_000, defaults.get(StreamsConfig.consumerPrefix("session.timeout.ms")));

        final Map<String, String> set = new java.util.HashMap<>(IDENTITY);
        set.put("processor.standby-replicas", "1");
        set.put("processor.session-timeout", "PT10S");
        final Properties changed = ProcessorSettings.from(ServiceConfig.defaults(ProcessorSettings.DEFAULTS, set))
                .streamsConfig();
        assertEquals(1, changed.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals(10_000, changed.get(StreamsConfig.consumerPrefix("session.timeout.ms")));
    }

    @Test
    void shouldRefuseASessionShorterThanTwoHeartbeatsNamingTheKey() {
        final Map<String, String> set = new java.util.HashMap<>(IDENTITY);
        set.put("processor.session-timeout", "PT1S");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                ProcessorSettings.from(ServiceConfig.defaults(ProcessorSettings.DEFAULTS, set)));
        assertTrue(refused.getMessage().contains("processor.session-timeout") && refused.getMessage().contains("PT1S"),
                refused.getMessage());
    }
}
