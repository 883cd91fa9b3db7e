package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.PrivateFiles;
import dev.meterstream.support.kafka.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How an operator's tools reach the running stack's Kafka as its admin: {@code .data/admin-client.properties},
 * written by {@code ./dev up} (owner-only: on a secure stack it holds the admin's SCRAM login), in the format of
 * Kafka's own tools' {@code --command-config} (client settings by Kafka's names, with {@code bootstrap.servers}).
 */
final class AdminClientFile {
    static final String NAME = "admin-client.properties";
    private static final String BOOTSTRAP = "bootstrap.servers";

    private AdminClientFile() {
    }

    static void write(final Path dataDir, final KafkaConnection kafka) {
        final Properties properties = new Properties();
        properties.setProperty(BOOTSTRAP, kafka.bootstrapServers());
        kafka.client().forEach(properties::setProperty);
        final StringWriter text = new StringWriter();
        try {
            properties.store(text, "written by ./dev up: how its admin reaches Kafka");
        } catch (final IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        PrivateFiles.write(dataDir.resolve(NAME), text.toString());
    }

    static KafkaConnection read(final Path file) {
        final Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        final String bootstrap = properties.getProperty(BOOTSTRAP);
        if (bootstrap == null) {
            throw new IllegalArgumentException(file + " names no " + BOOTSTRAP);
        }
        final Map<String, String> client = new HashMap<>();
        properties.stringPropertyNames().stream().filter(name -> !name.equals(BOOTSTRAP))
                .forEach(name -> client.put(name, properties.getProperty(name)));
        return new KafkaConnection(bootstrap, client);
    }
}
