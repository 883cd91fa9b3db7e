package dev.meterstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.infra.secure.KafkaGrants;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import io.helidon.config.Config;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes and what deploy/kustomization.yaml adds to it, checked offline: every resource against the
 * schema of its kind, and against the code it must agree with (the services' ACLs, topics, settings, the versions of
 * Kafka and Cassandra), so that the manifests cannot drift from what the services do.
 */
class KubernetesManifestsTest {
    /** deploy/: the base (deploy/kubernetes) and the monitoring files' config maps. */
    private static final Path DEPLOY = KubernetesSchemas.home().resolve("deploy");
    private static final String IMAGE_PREFIX = "meterstream/";
    private static final String READY = "/observe/health/ready";
    private static final String LIVE = "/observe/health/live";
    private static List<ObjectNode> resources;
    private static Map<String, ObjectNode> byName;

    @BeforeAll
    static void build() {
        resources = Kustomization.build(DEPLOY);
        byName = Kustomization.byKindAndName(resources);
    }

    @Test
    void everyResourceMatchesTheSchemaOfItsKind() {
        final KubernetesSchemas schemas = KubernetesSchemas.load();
        final List<String> errors = new ArrayList<>();
        for (final ObjectNode resource : resources) {
            final String name = resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
            final KubernetesSchemas.Schema schema = schemas.of(resource.path("apiVersion").asText(),
                    resource.path("kind").asText());
            if (schema == null) {
                errors.add(name + ": no schema for " + resource.path("apiVersion").asText());
                continue;
            }
            errors.addAll(schema.check(resource, name));
        }
        assertEquals(List.of(), errors);
        assertTrue(resources.size() > 20, "the base holds every part: " + byName.keySet());
    }

    /** Where kubectl is installed (not required), the build here is kustomize's own. */
    @Test
    void theBuildIsKustomizesWhereKubectlIsInstalled() throws Exception {
        final Path kubectl = Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed");
        final Path out = Files.createTempFile("kustomized", ".yaml");
        try {
            final Process process = new ProcessBuilder(kubectl.toString(), "kustomize", DEPLOY.toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("kubectl kustomize took over 60 s");
            }
            assertEquals(0, process.exitValue(), "kubectl kustomize failed");
            final List<ObjectNode> theirs = Kustomization.read(out).stream().map(node -> (ObjectNode) node).toList();
            assertEquals(Kustomization.byKindAndName(theirs), byName);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The board and the rules reach a cluster as the files are: Grafana's sidecar finds the board by its label. */
    @Test
    void theBoardAndTheRulesAreShippedAsTheyAre() throws IOException {
        final JsonNode board = byName.get("ConfigMap/meterstream-grafana-dashboards");
        assertEquals("1", board.path("metadata").path("labels").path("grafana_dashboard").asText());
        assertEquals(Files.readString(DEPLOY.resolve("grafana/dashboards/meterstream-overview.json")),
                board.path("data").path("meterstream-overview.json").asText());
        assertEquals(Files.readString(DEPLOY.resolve("prometheus/rules/meterstream.yml")),
                byName.get("ConfigMap/meterstream-prometheus-rules").path("data").path("meterstream.yml").asText());
    }

    @Test
    void eachKafkaUserHoldsExactlyTheGrantsOfItsService() {
        final Config processor = defaults("stream-processor");
        final Set<String> expected = new TreeSet<>();
        for (final AclBinding acl : KafkaGrants.all(processor.get("processor.application-id").asString().get(),
                processor.get("sink.group-id").asString().get())) {
            expected.add(String.join(" ", acl.entry().principal().substring("User:".length()),
                    camel(acl.pattern().resourceType().name(), false), acl.pattern().name(),
                    acl.pattern().patternType() == PatternType.PREFIXED ? "prefix"
                            : acl.pattern().patternType().name().toLowerCase(Locale.ROOT),
                    camel(acl.entry().operation().name(), true), acl.entry().host()));
        }
        final Set<String> declared = new TreeSet<>();
        for (final ObjectNode user : kind("KafkaUser")) {
            for (final JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                final JsonNode resource = acl.path("resource");
                for (final JsonNode operation : acl.path("operations")) {
                    declared.add(String.join(" ", user.path("metadata").path("name").asText(),
                            resource.path("type").asText(), resource.path("name").asText(),
                            resource.path("patternType").asText("literal"), operation.asText(),
                            acl.path("host").asText("*")));
                }
            }
        }
        assertEquals(expected, declared, "kafka/users.yaml must grant what infra's KafkaGrants grants");
    }

    @Test
    void eachKafkaTopicIsATopicOfTheSystemAndAsStrongAsItsServiceMakesIt() {
        final Map<String, String> shared = configMap("meterstream-shared");
        final int rawPartitions = Integer.parseInt(shared.get("TOPICS_RAW_dash_PARTITIONS"));
        final Duration retention = Duration.parse(shared.get("TOPICS_RAW_dash_RETENTION"));
        final int brokers = byName.get("KafkaNodePool/combined").path("spec").path("replicas").asInt();
        final TopicSetup.Replication replication = TopicSetup.Replication.forBrokers(brokers);
        final Map<String, JsonNode> declared = new TreeMap<>();
        for (final ObjectNode topic : kind("KafkaTopic")) {
            declared.put(topic.path("spec").path("topicName").asText(topic.path("metadata").path("name").asText()),
                    topic.path("spec"));
        }
        final List<String> errors = new ArrayList<>();
        final Set<String> system = new TreeSet<>();
        for (final TopicSpec spec : TopicSpec.all(rawPartitions, retention)) {
            system.add(spec.name());
            final JsonNode topic = declared.get(spec.name());
            if (topic == null) {
                errors.add(spec.name() + ": not declared");
                continue;
            }
            final Map<String, String> configs = new HashMap<>();
            topic.path("config").fields().forEachRemaining(entry -> configs.put(entry.getKey(),
                    entry.getValue().asText()));
            if (topic.path("partitions").asInt() != spec.partitions()) {
                errors.add(spec.name() + ": " + topic.path("partitions").asInt() + " partitions, the services make "
                        + spec.partitions() + " (topics.raw-partitions is " + rawPartitions + ")");
            }
            TopicSetup.weaknesses(spec, replication, topic.path("partitions").asInt(),
                    topic.path("replicas").asInt(), configs).forEach(weakness -> errors.add(spec.name() + ": "
                    + weakness));
        }
        assertEquals(List.of(), errors);
        assertEquals(system, declared.keySet(), "kafka/topics.yaml declares the system's topics and no others");
        assertEquals(3, replication.factor(), "three brokers: RF 3, min ISR 2");
    }

    @Test
    void theProcessorHasNoMoreReplicasThanStreamTasksAndABudgetAndStandbys() {
        final int rawPartitions = Integer.parseInt(configMap("meterstream-shared").get("TOPICS_RAW_dash_PARTITIONS"));
        final JsonNode processor = byName.get("StatefulSet/stream-processor");
        final int replicas = processor.path("spec").path("replicas").asInt();
        assertTrue(replicas >= 2 && replicas <= rawPartitions, "replicas " + replicas + " must be 2.."
                + rawPartitions + " (usage.raw's partitions: one stream task each)");
        assertEquals(1, byName.get("PodDisruptionBudget/stream-processor").path("spec").path("maxUnavailable")
                .asInt());
        assertEquals("1", env(processor).get("PROCESSOR_STANDBY_dash_REPLICAS"), "a warm standby of every task");
    }

    /**
     * Every environment variable of a service's container names a setting of that service, read the way Helidon
     * reads it: one of its defaults files' keys (commented-out optional keys included), or a Kafka client setting.
     */
    @Test
    void everyEnvironmentVariableNamesASettingOfItsService() {
        final List<String> errors = new ArrayList<>();
        for (final ObjectNode resource : resources) {
            for (final ObjectNode container : Kustomization.containers(resource)) {
                final String module = module(container);
                for (final String unknown : ServiceSettings.unknown(module, envNames(container))) {
                    errors.add(resource.path("metadata").path("name").asText() + ": " + unknown);
                }
            }
        }
        assertEquals(List.of(), errors);
    }

    /** Each service's pods run this build's image and expose the port it listens on. */
    @Test
    void theServicesRunThisBuildsImagesOnTheirPorts() {
        for (final ObjectNode resource : resources) {
            for (final ObjectNode container : Kustomization.containers(resource)) {
                final String module = module(container);
                assertEquals(IMAGE_PREFIX + module + ":" + System.getProperty("meterstream.version"),
                        container.path("image").asText());
                for (final JsonNode port : container.path("ports")) {
                    assertEquals(ServiceSettings.port(module), port.path("containerPort").asInt(), module);
                }
            }
        }
    }

    @Test
    void theViewsAreReplicatedThreeTimesInTheDatacenterAndReadAndWrittenByMajority() {
        final JsonNode datacenter = byName.get("CassandraDatacenter/dc1");
        final Map<String, String> shared = configMap("meterstream-shared");
        final String dc = datacenter.path("metadata").path("name").asText();
        assertEquals(dc, shared.get("CASSANDRA_LOCAL_dash_DATACENTER"));
        assertEquals("{'class': 'NetworkTopologyStrategy', '" + dc + "': 3}", shared.get("CASSANDRA_REPLICATION"));
        assertTrue(datacenter.path("spec").path("size").asInt() >= 3, "at least three nodes for RF 3");
        assertEquals("LOCAL_QUORUM", shared.get("CASSANDRA_CONSISTENCY"));
        assertEquals(datacenter.path("spec").path("clusterName").asText() + "-" + dc + "-service:9042",
                shared.get("CASSANDRA_CONTACT_dash_POINT"), "cass-operator's service for the datacenter");
    }

    @Test
    void kafkaAndCassandraAreTheVersionsTheProjectRuns() throws IOException {
        assertEquals(AppInfoParser.getVersion(), byName.get("Kafka/meterstream").path("spec").path("kafka")
                .path("version").asText(), "the Kafka of the services' clients");
        assertEquals(KubernetesSchemas.cassandraVersion(), byName.get("CassandraDatacenter/dc1").path("spec").path("serverVersion")
                .asText(), "the Cassandra of the local stack");
    }

    /** Each service's pods: not root, no privilege, a read-only root, requests and a memory limit, probes. */
    @Test
    void theServicesRunAsRestrictedProbedPodsWithRequests() {
        final List<String> errors = new ArrayList<>();
        for (final ObjectNode resource : resources) {
            final String name = resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
            for (final ObjectNode container : Kustomization.containers(resource)) {
                final JsonNode pod = resource.path("spec").path("template").path("spec");
                final JsonNode security = container.path("securityContext");
                require(errors, name, "runAsNonRoot", pod.path("securityContext").path("runAsNonRoot").asBoolean());
                require(errors, name, "automountServiceAccountToken: false",
                        !pod.path("automountServiceAccountToken").asBoolean(true));
                require(errors, name, "allowPrivilegeEscalation: false",
                        !security.path("allowPrivilegeEscalation").asBoolean(true));
                require(errors, name, "readOnlyRootFilesystem", security.path("readOnlyRootFilesystem").asBoolean());
                require(errors, name, "capabilities dropped", security.path("capabilities").path("drop").toString()
                        .contains("ALL"));
                final JsonNode resourcesOf = container.path("resources");
                require(errors, name, "a CPU request", resourcesOf.path("requests").has("cpu"));
                require(errors, name, "a memory request", resourcesOf.path("requests").has("memory"));
                require(errors, name, "a memory limit", resourcesOf.path("limits").has("memory"));
                if (!resource.path("kind").asText().equals("Job")) {
                    require(errors, name, "a readiness probe on " + READY, READY.equals(container
                            .path("readinessProbe").path("httpGet").path("path").asText()));
                    require(errors, name, "a liveness probe on " + LIVE, LIVE.equals(container
                            .path("livenessProbe").path("httpGet").path("path").asText()));
                }
            }
        }
        assertEquals(List.of(), errors);
    }

    private static void require(final List<String> errors, final String name, final String what,
                                final boolean met) {
        if (!met) {
            errors.add(name + ": " + what);
        }
    }

    private static List<ObjectNode> kind(final String kind) {
        return resources.stream().filter(resource -> resource.path("kind").asText().equals(kind)).toList();
    }

    private static Map<String, String> configMap(final String name) {
        final Map<String, String> data = new TreeMap<>();
        byName.get("ConfigMap/" + name).path("data").fields()
                .forEachRemaining(entry -> data.put(entry.getKey(), entry.getValue().asText()));
        return data;
    }

    /** A container's own environment variables with a literal value (those from secrets have none here). */
    private static Map<String, String> env(final JsonNode resource) {
        final Map<String, String> env = new TreeMap<>();
        for (final ObjectNode container : Kustomization.containers(resource)) {
            container.path("env").forEach(variable -> env.put(variable.path("name").asText(),
                    variable.path("value").asText(null)));
        }
        return env;
    }

    /** The names a container's environment gets: its own and those of the config maps it takes whole. */
    private static Set<String> envNames(final JsonNode container) {
        final Set<String> names = new TreeSet<>();
        container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
        for (final JsonNode from : container.path("envFrom")) {
            names.addAll(configMap(from.path("configMapRef").path("name").asText()).keySet());
        }
        return names;
    }

    /** The service whose image a container runs. */
    private static String module(final JsonNode container) {
        final String image = container.path("image").asText();
        assertTrue(image.startsWith(IMAGE_PREFIX), "a service's image: " + image);
        return image.substring(IMAGE_PREFIX.length(), image.contains(":") ? image.indexOf(':') : image.length());
    }

    private static Config defaults(final String module) {
        return ServiceConfig.defaults(module + ".yaml", Map.of());
    }

    /** {@code DESCRIBE_CONFIGS} as Strimzi writes it: {@code DescribeConfigs}, or {@code transactionalId}. */
    private static String camel(final String constant, final boolean upperFirst) {
        final StringBuilder out = new StringBuilder();
        for (final String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.isEmpty() && !upperFirst ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }
}
