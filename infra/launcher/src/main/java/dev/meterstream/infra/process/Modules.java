package dev.meterstream.infra.process;

/**
 * The services' module names, in one place: each is the service's directory in the build, the name of its
 * process (instance n > 1 of it is {@code <name>-n}), and on the secure stack its Kafka and Cassandra user.
 */
public final class Modules {
    public static final String INGEST_API = "ingest-api";
    public static final String QUERY_API = "query-api";
    public static final String STREAM_PROCESSOR = "stream-processor";

    private Modules() {
    }
}
