package dev.meterstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.infra.process.Installed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose, held to the code: no Docker engine runs where this project is built, so the file is checked
 * rather than run. Its services' settings, images, ports and versions, and its Prometheus configuration.
 */
class ComposeFileTest {
    private static final Path DIRECTORY = KubernetesSchemas.home().resolve("deploy/compose");
    private static final JsonNode COMPOSE = Kustomization.read(DIRECTORY.resolve("compose.yaml")).getFirst();
    private static final String IMAGE_PREFIX = "meterstream/";

    @Test
    void everyEnvironmentVariableOfAServiceNamesOneOfItsSettings() {
        final List<String> errors = new ArrayList<>();
        services().forEach((module, service) -> {
            final List<String> names = new ArrayList<>();
            service.path("environment").fieldNames().forEachRemaining(names::add);
            errors.addAll(ServiceSettings.unknown(module, names));
        });
        assertEquals(List.of(), errors);
        assertEquals(List.of("ingest-api", "query-api", "stream-processor"), List.copyOf(services().keySet()));
    }

    @Test
    void theServicesRunThisBuildsImagesAndPublishTheirPortsOnLoopbackOnly() {
        services().forEach((module, service) -> {
            assertEquals(IMAGE_PREFIX + module + ":" + System.getProperty("meterstream.version"),
                    service.path("image").asText());
            final int port = ServiceSettings.port(module);
            for (final JsonNode published : service.path("ports")) {
                assertEquals("127.0.0.1:" + port + ":" + port, published.asText(), module);
            }
        });
        for (final JsonNode service : COMPOSE.path("services")) {
            for (final JsonNode published : service.path("ports")) {
                assertTrue(published.asText().startsWith("127.0.0.1:"), published + " on loopback only");
            }
        }
    }

    @Test
    void kafkaAndCassandraAreTheVersionsTheProjectRuns() throws IOException {
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(),
                COMPOSE.path("services").path("kafka").path("image").asText());
        assertEquals("cassandra:" + KubernetesSchemas.cassandraVersion(),
                COMPOSE.path("services").path("cassandra").path("image").asText());
    }

    /** promtool (Prometheus' own check) passes the configuration with the project's rules; each service scraped. */
    @Test
    void prometheusScrapesEachServiceWithTheProjectsRules() throws Exception {
        final String config = Files.readString(DIRECTORY.resolve("prometheus/prometheus.yml"));
        final String mounted = "/etc/prometheus/rules/meterstream.yml";
        assertTrue(config.contains(mounted));
        assertTrue(COMPOSE.path("services").path("prometheus").path("volumes").toString()
                .contains("../prometheus/rules/meterstream.yml:" + mounted + ":ro"));
        final Path copy = Files.createTempFile("prometheus", ".yml");
        try {
            Files.writeString(copy, config.replace(mounted, KubernetesSchemas.home()
                    .resolve("deploy/prometheus/rules/meterstream.yml").toString()));
            final Path promtool = Installed.program("promtool")
                    .orElseThrow(() -> new AssertionError("promtool is not installed (Debian: prometheus)"));
            final Process check = new ProcessBuilder(promtool.toString(), "check", "config", copy.toString())
                    .redirectErrorStream(true).start();
            final String output = new String(check.getInputStream().readAllBytes());
            assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool took over 60 s");
            assertEquals(0, check.exitValue(), output);
        } finally {
            Files.deleteIfExists(copy);
        }
        final JsonNode scrape = Kustomization.read(DIRECTORY.resolve("prometheus/prometheus.yml")).getFirst()
                .path("scrape_configs");
        services().keySet().forEach(module -> assertTrue(scrape.toString().contains("\"" + module + ":"
                + ServiceSettings.port(module) + "\""), module + " scraped on its port"));
    }

    @Test
    void grafanaLoadsTheOverviewBoard() {
        final JsonNode provider = Kustomization.read(DIRECTORY.resolve(
                "grafana/provisioning/dashboards/meterstream.yaml")).getFirst().path("providers").get(0);
        final String volumes = COMPOSE.path("services").path("grafana").path("volumes").toString();
        assertTrue(volumes.contains("../grafana/dashboards:" + provider.path("options").path("path").asText() + ":ro"),
                volumes);
        assertTrue(Files.isRegularFile(DIRECTORY.resolve("../grafana/dashboards/meterstream-overview.json")));
    }

    /** The compose services that run one of this project's images, by module. */
    private static Map<String, JsonNode> services() {
        final Map<String, JsonNode> services = new TreeMap<>();
        COMPOSE.path("services").fields().forEachRemaining(entry -> {
            final String image = entry.getValue().path("image").asText();
            if (image.startsWith(IMAGE_PREFIX)) {
                services.put(image.substring(IMAGE_PREFIX.length(), image.indexOf(':')), entry.getValue());
            }
        });
        return services;
    }
}
