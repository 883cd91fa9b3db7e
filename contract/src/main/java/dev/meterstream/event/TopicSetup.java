package dev.meterstream.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the system's topics if they are missing, with a replication factor the cluster can give: 3 replicas
 * and {@code min.insync.replicas=2} where there are at least 3 brokers (one may fail without losing an acknowledged
 * write), else one replica per broker. An existing topic is left as it is.
 */
public final class TopicSetup {
    private static final long TIMEOUT_SECONDS = 30;

    private TopicSetup() {
    }

    public static void ensure(final Admin admin, final String topic, final int partitions,
                              final Map<String, String> configs) {
        try {
            final int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
            final short replication = (short) Math.min(3, brokers);
            final Map<String, String> all = new HashMap<>(configs);
            all.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, replication >= 3 ? "2" : "1");
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(all)))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s while creating "
                    + topic, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }
}
