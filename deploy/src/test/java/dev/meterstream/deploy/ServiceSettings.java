package dev.meterstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.EnvironmentVariables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a service's settings are called, for checking a deployment's environment variables against them: every key
 * of its defaults files (its own and support's shared one, from the classpath), and the optional keys a deployment
 * sets, each of which its defaults file shows in a comment. A variable is read as Helidon reads it
 * ({@code KAFKA_BOOTSTRAP_dash_SERVERS} is {@code kafka.bootstrap-servers}).
 */
final class ServiceSettings {
    /**
     * The settings the services read only when they are set (support's CqlSecurity and ApiKeys, query-api's
     * QuerySettings), so that no defaults file can hold them.
     */
    private static final List<String> OPTIONAL_KEYS = List.of("cassandra.username", "cassandra.password-file",
            "auth.keys-file", "auth.admin.keys-file", "query.cursor-secret-file");
    /** The JVM's own, not a setting. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    private ServiceSettings() {
    }

    /** The port a service listens on ({@code server.port} of its defaults). */
    static int port(final String module) {
        return ServiceConfig.defaults(module + ".yaml", Map.of()).get("server.port").asInt().get();
    }

    /** Each of {@code variables} that names no setting of {@code module}, with what Helidon would read it as. */
    static List<String> unknown(final String module, final Collection<String> variables) {
        final Set<String> keys = keys(module);
        final List<String> unknown = new ArrayList<>();
        for (final String name : variables) {
            if (JVM.contains(name)) {
                continue;
            }
            final Set<String> aliases = EnvironmentVariables.expand(Map.of(name, "x")).keySet();
            if (aliases.stream().noneMatch(key -> keys.contains(key)
                    || key.startsWith(ServiceConfig.KAFKA_CLIENT + "."))) {
                unknown.add(name + " is no setting of " + module + " (read as " + aliases + ")");
            }
        }
        return unknown;
    }

    /**
     * The keys of a service's settings: every key of its defaults files, and the optional keys (read only if set)
     * that a cluster sets, each of which its defaults file shows in a comment.
     */
    static Set<String> keys(final String module) {
        final Set<String> keys = new TreeSet<>();
        final StringBuilder text = new StringBuilder();
        for (final String file : List.of(module + ".yaml", ServiceConfig.SHARED)) {
            try (InputStream in = ServiceSettings.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " is not on the classpath");
                }
                final String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                text.append(yaml);
                flatten("", Kustomization.YAML.readTree(yaml), keys);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        for (final String optional : OPTIONAL_KEYS) {
            final String parent = optional.substring(0, optional.lastIndexOf('.'));
            final String leaf = optional.substring(optional.lastIndexOf('.') + 1);
            if (keys.stream().anyMatch(key -> key.startsWith(parent + "."))) {
                if (!Pattern.compile("(?m)^ *#.*\\b" + Pattern.quote(leaf) + ":").matcher(text).find()) {
                    throw new IllegalStateException(optional + " is not shown in a comment of " + module
                            + "'s defaults");
                }
                keys.add(optional);
            }
        }
        return keys;
    }

    private static void flatten(final String prefix, final JsonNode node, final Set<String> keys) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(field -> flatten(prefix.isEmpty() ? field.getKey()
                    : prefix + "." + field.getKey(), field.getValue(), keys));
        } else {
            keys.add(prefix);
        }
    }
}
