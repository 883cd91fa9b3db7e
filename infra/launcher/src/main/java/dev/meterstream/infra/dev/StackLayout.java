package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.AotCache;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link DevStack} runs.
 *
 * @param dataDir        Kafka's and Cassandra's data, the processor's state and the services' logs
 * @param brokers        Kafka nodes, 1 or 3 (3: replication factor 3, {@code min.insync.replicas=2})
 * @param freePorts      false: the fixed ports ./dev up documents (9092..., 9042, 8080-8082); true: free ephemeral
 *                       ports, so a load run or a test never collides with a running ./dev up
 * @param ingestKeysFile API key digests ingest-api accepts besides the keys topic's ({@code <sha256> <tenant>}
 *                       lines); null: none (./dev up puts its keys in the keys topic)
 * @param queryKeysFile  API key digests query-api accepts; null: none
 * @param adminKeysFile  admin key digests query-api accepts (they may also define meters); null: none
 * @param overrides      configuration keys every service gets for this run ({@code --set})
 * @param aotCache       where the brokers' and services' JVMs keep their ahead-of-time caches (see
 *                       {@link AotCache}); empty: none, every JVM starts cold
 * @param secure         TLS, authentication and least rights on every hop ({@link StackSecurity}); its Kafka and
 *                       Cassandra keep their data apart from a plain stack's
 * @param instances      instances of ingest-api (behind HAProxy when more than one) and of stream-processor (one
 *                       Kafka Streams application); query-api runs once
 * @param observe        Prometheus scraping every process, with the project's rules ({@code ./dev up --observe})
 */
public record StackLayout(Path dataDir, int brokers, boolean freePorts, Path ingestKeysFile, Path queryKeysFile,
                          Path adminKeysFile, ConfigOverrides overrides, Optional<AotCache> aotCache,
                          boolean secure, int instances, boolean observe) {
    /** More would not fit a 2-core machine's memory and cores beside Kafka and Cassandra. */
    public static final int MAX_INSTANCES = 3;

    public StackLayout {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(aotCache, "aotCache");
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("brokers must be 1 or 3, was " + brokers);
        }
        if (instances < 1 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("instances must be 1-" + MAX_INSTANCES + ", was " + instances);
        }
        if (secure && observe) {
            throw new IllegalArgumentException("--secure with --observe is not built yet (Prometheus would need the "
                    + "local CA and a login for each scrape)");
        }
        if (secure && instances > 1) {
            throw new IllegalArgumentException("--secure runs one instance of each service for now (HAProxy in "
                    + "front of TLS instances is not built yet)");
        }
    }

    /** A plain stack: no TLS, no authentication between the parts. */
    public StackLayout(final Path dataDir, final int brokers, final boolean freePorts, final Path ingestKeysFile,
                       final Path queryKeysFile, final Path adminKeysFile, final ConfigOverrides overrides,
                       final Optional<AotCache> aotCache) {
        this(dataDir, brokers, freePorts, ingestKeysFile, queryKeysFile, adminKeysFile, overrides, aotCache, false, 1,
                false);
    }

    /** The same layout with security on every hop. */
    public StackLayout secured() {
        return new StackLayout(dataDir, brokers, freePorts, ingestKeysFile, queryKeysFile, adminKeysFile, overrides,
                aotCache, true, instances, observe);
    }

    /** The same layout with {@code count} instances of the services that scale out. */
    public StackLayout withInstances(final int count) {
        return new StackLayout(dataDir, brokers, freePorts, ingestKeysFile, queryKeysFile, adminKeysFile, overrides,
                aotCache, secure, count, observe);
    }

    /** The same layout with Prometheus scraping every process ({@link dev.meterstream.infra.observe.Prometheus}). */
    public StackLayout observed() {
        return new StackLayout(dataDir, brokers, freePorts, ingestKeysFile, queryKeysFile, adminKeysFile, overrides,
                aotCache, secure, instances, true);
    }

    /** Where ./dev up and load runs keep the JVMs' ahead-of-time caches: shared, as the code they cache is. */
    public static AotCache sharedAotCache(final Path root) {
        return AotCache.in(root.resolve(".data/aot"));
    }
}
