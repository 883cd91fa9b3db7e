package dev.meterstream.support.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.support.config.ServiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
    @Test
    void shouldGiveEveryClientTheSettingsUnderKafkaClient() {
        final KafkaConnection kafka = KafkaConnection.from(ServiceConfig.defaults(ServiceConfig.SHARED, Map.of(
                "kafka.bootstrap-servers", "127.0.0.1:19092",
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512")));
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:19092", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "acks", "all"), kafka.config(Map.of("acks", "all")));
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"),
                KafkaConnection.from(ServiceConfig.shared()).config(), "the shared default is plaintext, no settings");
    }

    @Test
    void shouldRefuseAClientThatReplacesAConnectionSettingAndNameTheKey() {
        final KafkaConnection kafka = new KafkaConnection("127.0.0.1:9092", Map.of("security.protocol", "SSL"));
        final IllegalArgumentException replaced = assertThrows(IllegalArgumentException.class,
                () -> kafka.config(Map.of("security.protocol", "PLAINTEXT")));
        assertTrue(replaced.getMessage().contains("security.protocol"), replaced.getMessage());
        final IllegalArgumentException bootstrap = assertThrows(IllegalArgumentException.class,
                () -> new KafkaConnection("127.0.0.1:9092", Map.of("bootstrap.servers", "x:1")));
        assertTrue(bootstrap.getMessage().contains("kafka.bootstrap-servers"), bootstrap.getMessage());
    }
}
