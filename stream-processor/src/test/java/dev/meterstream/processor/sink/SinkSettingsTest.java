package dev.meterstream.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {
    @Test
    void shouldRefuseAProgressIntervalThatIsNotPositiveNamingTheKey() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> withProgressInterval(Duration.ZERO));
        assertEquals("sink.progress-interval must be positive, was PT0S", refused.getMessage());
    }

    private static SinkSettings withProgressInterval(final Duration progressInterval) {
        return new SinkSettings(true, "sink", new CqlConnection(List.of(InetSocketAddress.createUnresolved("127.0.0.1",
                9042)), "datacenter1", CqlSchema.Keyspace.local("meterstream"), DefaultConsistencyLevel.ONE,
                Duration.ofSeconds(1)), Duration.ofSeconds(1), 1, 1, 1, false, 1, Duration.ofMillis(100),
                Duration.ofSeconds(1), progressInterval, 1, Duration.ofMillis(100), Duration.ofSeconds(45));
    }

    @Test
    void shouldGiveTheSinksConsumerTheSameSessionTimeout() {
        final Config config = ServiceConfig.defaults(ProcessorSettings.DEFAULTS, Map.of(
                "processor.application-id", "p", ServiceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092",
                "processor.state-dir", "/tmp/p", "processor.session-timeout", "PT10S"));
        final Properties sink = CassandraSink.consumerConfig(SinkSettings.from(config),
                ProcessorSettings.from(config).kafka());
        assertEquals(10_000, sink.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                "a dead instance's views would wait for Kafka's default, whatever its tasks do");
    }
}
