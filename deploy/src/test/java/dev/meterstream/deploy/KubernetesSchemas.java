package dev.meterstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The schema of every kind the manifests may use, by {@code apiVersion/kind}: the Kubernetes API's from fabric8's
 * models, Strimzi's from the CRDs its own generator makes from its model classes (run here, in a JVM of its own),
 * and cass-operator's from the copy of its CRD in {@code crds/} (SOURCE.md there).
 */
final class KubernetesSchemas {
    /** The kinds of Strimzi's that the manifests use, by their model class. */
    private static final Map<String, String> STRIMZI = Map.of(
            "io.strimzi.api.kafka.model.kafka.Kafka", "kafka.yaml",
            "io.strimzi.api.kafka.model.nodepool.KafkaNodePool", "kafka-node-pool.yaml",
            "io.strimzi.api.kafka.model.topic.KafkaTopic", "kafka-topic.yaml",
            "io.strimzi.api.kafka.model.user.KafkaUser", "kafka-user.yaml");
    private static final String CASS_OPERATOR_CRD = "cassandra.datastax.com_cassandradatacenters.yaml";
    private static final String CASS_OPERATOR_CRD_SHA256 =
            "76ef05e7bf348002be64a535e62df29a00ae7b505c91d262cc2303fafbc08a03";
    private static final long GENERATOR_TIMEOUT_SECONDS = 180;
    private static final String OBJECT_META = "kubernetes_apimachinery_ObjectMeta";

    /**
     * A kind's schema and the document its references point into; a custom resource's metadata is checked as
     * the API server checks it, against ObjectMeta (a CRD's schema says only "type: object").
     */
    record Schema(JsonNode document, JsonNode root, Schema metadata) {
        /** Every way {@code resource} breaks the schema, each naming the field's path under {@code name}. */
        List<String> check(final JsonNode resource, final String name) {
            if (metadata == null) {
                return new SchemaCheck(document).check(resource, root, name);
            }
            final ObjectNode rest = ((ObjectNode) resource).deepCopy();
            final List<String> errors = new ArrayList<>(new SchemaCheck(metadata.document)
                    .check(rest.remove("metadata"), metadata.root, name + ".metadata"));
            errors.addAll(new SchemaCheck(document).check(rest, root, name));
            return errors;
        }
    }

    private final Map<String, Schema> byKind;

    private KubernetesSchemas(final Map<String, Schema> byKind) {
        this.byKind = Collections.unmodifiableMap(byKind);
    }

    private static KubernetesSchemas loaded;

    /** Loaded once per test JVM: making Strimzi's CRDs takes a few seconds. */
    static synchronized KubernetesSchemas load() {
        if (loaded == null) {
            final Map<String, Schema> byKind = new LinkedHashMap<>();
            final Schema objectMeta = fabric8(byKind);
            for (final Path crd : strimziCrds()) {
                crd(Kustomization.read(crd).getFirst(), objectMeta, byKind);
            }
            crd(Kustomization.read(cassOperatorCrd()).getFirst(), objectMeta, byKind);
            loaded = new KubernetesSchemas(byKind);
        }
        return loaded;
    }

    /** The schema of {@code apiVersion/kind}, or null if no schema here knows that kind. */
    Schema of(final String apiVersion, final String kind) {
        return byKind.get(apiVersion + "/" + kind);
    }

    /** Adds the Kubernetes API's kinds; returns the schema of ObjectMeta. */
    private static Schema fabric8(final Map<String, Schema> byKind) {
        final ObjectMapper json = new ObjectMapper();
        try {
            final List<URL> documents = Collections.list(KubernetesSchemas.class.getClassLoader()
                    .getResources("schema/validation-schema.json"));
            if (documents.isEmpty()) {
                throw new IllegalStateException("no fabric8 kubernetes-model jar on the test classpath");
            }
            Schema objectMeta = null;
            for (final URL url : documents) {
                final JsonNode document;
                try (InputStream in = url.openStream()) {
                    document = json.readTree(in);
                }
                document.path("definitions").forEach(definition -> {
                    final String apiVersion = definition.path("properties").path("apiVersion").path("default").asText();
                    final String kind = definition.path("properties").path("kind").path("default").asText();
                    if (!apiVersion.isEmpty() && !kind.isEmpty()) {
                        byKind.putIfAbsent(apiVersion + "/" + kind, new Schema(document, definition, null));
                    }
                });
                if (objectMeta == null && document.path("definitions").has(OBJECT_META)) {
                    objectMeta = new Schema(document, document.path("definitions").get(OBJECT_META), null);
                }
            }
            if (objectMeta == null) {
                throw new IllegalStateException("no " + OBJECT_META + " in fabric8's schemas");
            }
            return objectMeta;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read fabric8's schemas", e);
        }
    }

    private static void crd(final JsonNode crd, final Schema objectMeta, final Map<String, Schema> byKind) {
        final String group = crd.path("spec").path("group").asText();
        final String kind = crd.path("spec").path("names").path("kind").asText();
        for (final JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("served").asBoolean(true)) {
                final JsonNode schema = version.path("schema").path("openAPIV3Schema");
                byKind.put(group + "/" + version.path("name").asText() + "/" + kind,
                        new Schema(schema, schema, objectMeta));
            }
        }
    }

    /** Runs Strimzi's CRD generator on its model classes, as Strimzi's own build does, into target/crds. */
    private static List<Path> strimziCrds() {
        final Path target = home().resolve("deploy/target");
        final Path out = target.resolve("crds");
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", target.resolve("strimzi/crd-generator.jar") + File.pathSeparator
                        + target.resolve("strimzi/api.jar"),
                "io.strimzi.crdgenerator.CrdGenerator", "--crd-api-version", "v1", "--api-versions", "v1",
                "--storage-version", "v1", "--yaml"));
        final List<Path> crds = new ArrayList<>();
        STRIMZI.forEach((model, file) -> {
            command.add(model + "=" + out.resolve(file).toAbsolutePath());
            crds.add(out.resolve(file));
        });
        try {
            Files.createDirectories(out);
            final Path log = out.resolve("generator.log");
            final Process generator = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!generator.waitFor(GENERATOR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                generator.destroyForcibly().waitFor();
                throw new IllegalStateException("Strimzi's CRD generator took over " + GENERATOR_TIMEOUT_SECONDS
                        + " s; see " + log);
            }
            if (generator.exitValue() != 0) {
                throw new IllegalStateException("Strimzi's CRD generator failed (" + generator.exitValue() + "): "
                        + Files.readString(log));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot run Strimzi's CRD generator", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making Strimzi's CRDs", e);
        }
        return crds;
    }

    private static Path cassOperatorCrd() {
        final Path crd = home().resolve("deploy/src/test/resources/crds").resolve(CASS_OPERATOR_CRD);
        try {
            final String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(crd)));
            if (!digest.equals(CASS_OPERATOR_CRD_SHA256)) {
                throw new IllegalStateException(crd + " is not cass-operator's (SHA-256 " + digest + "): see "
                        + "SOURCE.md beside it");
            }
            return crd;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + crd, e);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Cassandra the project runs ({@code version.cassandra} in the root pom), which deployments must name. */
    static String cassandraVersion() {
        try {
            final java.util.regex.Matcher version = java.util.regex.Pattern
                    .compile("<version.cassandra>([^<]+)</version.cassandra>")
                    .matcher(Files.readString(home().resolve("pom.xml")));
            if (!version.find()) {
                throw new IllegalStateException("no version.cassandra in the root pom");
            }
            return version.group(1);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the root pom", e);
        }
    }

    static Path home() {
        return Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath().normalize();
    }
}
