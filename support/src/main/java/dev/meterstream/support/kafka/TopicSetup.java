package dev.meterstream.support.kafka;

import dev.meterstream.event.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates a topic to its {@link TopicSpec} if it is missing, and checks an existing one against it: a topic with
 * weaker settings (fewer replicas, a lower {@code min.insync.replicas}, a shorter retention, another cleanup
 * policy, another partition count where it must match) stops start-up with an error naming each setting, rather
 * than letting the system run on a topic that can lose acknowledged events.
 *
 * <p>Replication is what the cluster can give: 3 replicas and {@code min.insync.replicas=2} where there are at
 * least 3 brokers (one may fail without losing an acknowledged write), else one replica per broker.
 */
public final class TopicSetup {
    private static final long TIMEOUT_SECONDS = 30;
    private static final long METADATA_RETRY_MILLIS = 200;

    private TopicSetup() {
    }

    /** Replication of the system's topics on a cluster of this many brokers. */
    public record Replication(short factor, int minInSync) {
        public static Replication forBrokers(final int brokers) {
            final short factor = (short) Math.max(1, Math.min(3, brokers));
            return new Replication(factor, factor >= 3 ? 2 : 1);
        }
    }

    /** The replication the system's topics get on the cluster behind {@code admin}. */
    public static Replication replication(final Admin admin) {
        return Replication.forBrokers(call("describe the cluster",
                () -> admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).size());
    }

    /**
     * Creates the topic if missing, else checks it; returns its partition count.
     *
     * @throws IllegalStateException if the existing topic is weaker than the spec (the message names each setting)
     */
    public static int ensure(final Admin admin, final TopicSpec spec) {
        final Replication replication = replication(admin);
        final Map<String, String> configs = new HashMap<>(spec.configs());
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInSync()));
        try {
            admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), replication.factor())
                    .configs(configs))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return spec.partitions();
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                // A service without the right to create the topic (a secure cluster grants it to one owner) still
                // checks that it exists and is strong enough.
                return checkWithoutCreating(admin, spec, replication, configs);
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + spec.name() + ": " + e.getCause(),
                        e.getCause());
            }
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s while creating "
                    + spec.name(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + spec.name(), e);
        }
        return checkJustMade(admin, spec, replication, configs);
    }

    /**
     * Checks a topic that exists; another instance may have made it a moment ago, and until its metadata reaches
     * the broker asked, describing it answers that it does not exist: that answer is asked again for a while.
     */
    private static int checkJustMade(final Admin admin, final TopicSpec spec, final Replication replication,
                                     final Map<String, String> wanted) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return check(admin, spec, replication, wanted);
            } catch (final IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(METADATA_RETRY_MILLIS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking " + spec.name(), e);
            }
        }
    }

    private static int checkWithoutCreating(final Admin admin, final TopicSpec spec, final Replication replication,
                                            final Map<String, String> wanted) {
        try {
            return check(admin, spec, replication, wanted);
        } catch (final IllegalStateException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("topic " + spec.name() + " does not exist, and this service may not "
                        + "create it (no CREATE permission): create it as its owner or an admin first", e);
            }
            throw e;
        }
    }

    private static int check(final Admin admin, final TopicSpec spec, final Replication replication,
                             final Map<String, String> wanted) {
        final TopicDescription topic = call("describe " + spec.name(), () -> admin.describeTopics(
                List.of(spec.name())).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(spec.name()));
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        final Config actual = call("read the settings of " + spec.name(), () -> admin.describeConfigs(
                List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource));
        final List<String> weaker = weaknesses(spec, replication, wanted, topic, actual);
        if (!weaker.isEmpty()) {
            throw new IllegalStateException("topic " + spec.name() + " exists with weaker settings than meterstream "
                    + "needs: " + String.join("; ", weaker) + ". Change them (kafka-configs --alter, or "
                    + "kafka-reassign-partitions for replicas) or delete the topic, then start again");
        }
        return topic.partitions().size();
    }

    static List<String> weaknesses(final TopicSpec spec, final Replication replication,
                                   final Map<String, String> wanted, final TopicDescription topic,
                                   final Config actual) {
        final Map<String, String> values = new HashMap<>();
        for (final String key : wanted.keySet()) {
            final ConfigEntry entry = actual.get(key);
            if (entry != null && entry.value() != null) {
                values.put(key, entry.value());
            }
        }
        return weaknesses(spec, replication, wanted, topic.partitions().size(),
                topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0), values);
    }

    /**
     * What makes a topic declared elsewhere (a Kubernetes {@code KafkaTopic}, say) weaker than {@code spec} on a
     * cluster that gives {@code replication}: the same rule as for a topic found at start, so that a declaration
     * that a service would refuse fails before it is applied. Empty if it is strong enough.
     */
    public static List<String> weaknesses(final TopicSpec spec, final Replication replication, final int partitions,
                                          final int replicas, final Map<String, String> configs) {
        final Map<String, String> wanted = new HashMap<>(spec.configs());
        wanted.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInSync()));
        return weaknesses(spec, replication, wanted, partitions, replicas, configs);
    }

    private static List<String> weaknesses(final TopicSpec spec, final Replication replication,
                                           final Map<String, String> wanted, final int partitions,
                                           final int replicas, final Map<String, String> actual) {
        final List<String> weaker = new ArrayList<>();
        if (spec.partitionsFixed() && partitions != spec.partitions()) {
            weaker.add("it has " + partitions + " partitions, needs " + spec.partitions()
                    + " (as many as " + Topics.RAW + ")");
        }
        if (replicas < replication.factor()) {
            weaker.add("replication factor is " + replicas + ", needs " + replication.factor());
        }
        for (final Map.Entry<String, String> want : wanted.entrySet()) {
            final String value = actual.get(want.getKey());
            if (!meets(want.getKey(), value, want.getValue())) {
                weaker.add(want.getKey() + " is " + value + ", needs " + describe(want.getKey(), want.getValue()));
            }
        }
        return weaker;
    }

    private static boolean meets(final String key, final String actual, final String wanted) {
        if (actual == null) {
            return false;
        }
        return switch (key) {
            case TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG ->
                    Long.parseLong(actual) < 0 || (Long.parseLong(wanted) >= 0
                            && Long.parseLong(actual) >= Long.parseLong(wanted));
            case TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG -> Integer.parseInt(actual) >= Integer.parseInt(wanted);
            // Compression only decides how records are stored, never whether they are kept.
            case TopicConfig.COMPRESSION_TYPE_CONFIG -> true;
            default -> actual.equals(wanted);
        };
    }

    private static String describe(final String key, final String wanted) {
        return switch (key) {
            case TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG ->
                    wanted.equals(TopicSpec.FOREVER) ? "-1 (for ever)" : "at least " + wanted;
            case TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG -> "at least " + wanted;
            default -> wanted;
        };
    }

    private interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T call(final String what, final AdminCall<T> call) {
        try {
            return call.call();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s when asked to "
                    + what, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
