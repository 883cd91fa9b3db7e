package dev.meterstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the APIs are and which key to send, for each command: the option, else the environment, else what a local
 * {@code ./dev up} made (its URLs, and its keys under {@code .data/}).
 */
final class Endpoints {
    static final String INGEST_URL = "MS_INGEST_URL";
    static final String QUERY_URL = "MS_QUERY_URL";

    private final Map<String, String> environment;
    private final Path devData;

    Endpoints(final Map<String, String> environment, final Path devData) {
        this.environment = environment;
        this.devData = devData;
    }

    String ingestUrl(final Arguments args) {
        return args.option("url").or(() -> env(INGEST_URL)).orElse("http://127.0.0.1:8080");
    }

    String queryUrl(final Arguments args) {
        return args.option("url").or(() -> env(QUERY_URL)).orElse("http://127.0.0.1:8081");
    }

    /** The key: {@code --key}, else {@code $<variable>}, else {@code .data/<devFile>}. */
    String key(final Arguments args, final String variable, final String devFile) {
        return args.option("key").or(() -> env(variable)).or(() -> devKey(devFile)).orElseThrow(() ->
                new UsageException("no key: pass --key, set " + variable + ", or run ./dev up here (it writes "
                        + devData.resolve(devFile) + ")"));
    }

    private Optional<String> env(final String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    private Optional<String> devKey(final String file) {
        final Path path = devData.resolve(file);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(path).trim());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
