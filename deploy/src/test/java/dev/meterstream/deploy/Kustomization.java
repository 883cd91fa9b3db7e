package dev.meterstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code kubectl kustomize} makes of a directory, for the few features the manifests use: {@code resources}
 * (files of YAML documents, or directories with a kustomization of their own), {@code namespace}, {@code labels}
 * (added to each resource's own labels only), {@code images} (a new tag by image name), and
 * {@code configMapGenerator} with files (only with {@code generatorOptions.disableNameSuffixHash}: the content hash
 * kustomize would add to a name is not made here). Any other field of a
 * kustomization is refused, so that a manifest cannot use a feature these checks would not see; where kubectl is
 * installed, a test compares the two builds.
 */
final class Kustomization {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "images", "configMapGenerator", "generatorOptions");
    /** The kinds of the manifests that are not namespaced. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomization() {
    }

    /** The resources of the kustomization in {@code directory}, transformed as kustomize would. */
    static List<ObjectNode> build(final Path directory) {
        final JsonNode kustomization = read(directory.resolve("kustomization.yaml")).getFirst();
        for (final Iterator<String> names = kustomization.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(directory + "/kustomization.yaml uses '" + name
                        + "', which these checks do not read (they read " + FIELDS + ")");
            }
        }
        final List<ObjectNode> resources = new ArrayList<>();
        for (final JsonNode entry : kustomization.path("resources")) {
            final Path path = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                for (final JsonNode document : read(path)) {
                    resources.add((ObjectNode) document);
                }
            }
        }
        if (kustomization.has("configMapGenerator")) {
            if (!kustomization.path("generatorOptions").path("disableNameSuffixHash").asBoolean()) {
                throw new IllegalArgumentException(directory + "/kustomization.yaml generates config maps with "
                        + "hashed names, which these checks do not make: set generatorOptions.disableNameSuffixHash");
            }
            for (final JsonNode generator : kustomization.get("configMapGenerator")) {
                resources.add(configMap(directory, generator));
            }
        }
        for (final ObjectNode resource : resources) {
            if (kustomization.has("namespace") && !CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                ((ObjectNode) resource.get("metadata")).put("namespace", kustomization.get("namespace").asText());
            }
            for (final JsonNode label : kustomization.path("labels")) {
                final ObjectNode labels = ((ObjectNode) resource.get("metadata")).with("labels");
                label.path("pairs").fields().forEachRemaining(pair -> labels.set(pair.getKey(), pair.getValue()));
            }
            for (final JsonNode image : kustomization.path("images")) {
                retag(resource, image.get("name").asText(), image.get("newTag").asText());
            }
        }
        return resources;
    }

    /** A generated config map: each file's content under its name, the generator's labels. */
    private static ObjectNode configMap(final Path directory, final JsonNode generator) {
        for (final Iterator<String> names = generator.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!Set.of("name", "files", "options").contains(name)) {
                throw new IllegalArgumentException("a configMapGenerator's '" + name + "' is not read here");
            }
        }
        final ObjectNode map = YAML.createObjectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        final ObjectNode metadata = map.putObject("metadata");
        metadata.put("name", generator.path("name").asText());
        if (generator.path("options").has("labels")) {
            metadata.set("labels", generator.path("options").path("labels").deepCopy());
        }
        final ObjectNode data = map.putObject("data");
        for (final JsonNode file : generator.path("files")) {
            final Path path = directory.resolve(file.asText()).normalize();
            try {
                data.put(path.getFileName().toString(), Files.readString(path));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
        return map;
    }

    /** Every document of a YAML file (empty documents skipped). */
    static List<JsonNode> read(final Path file) {
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(file.toFile())) {
            final List<JsonNode> documents = new ArrayList<>();
            for (final Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                final JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The containers of a resource that runs pods (Deployment, StatefulSet, Job), else none. */
    static List<ObjectNode> containers(final JsonNode resource) {
        final List<ObjectNode> containers = new ArrayList<>();
        final JsonNode pod = resource.path("spec").path("template").path("spec");
        for (final String field : List.of("initContainers", "containers")) {
            pod.path(field).forEach(container -> containers.add((ObjectNode) container));
        }
        return containers;
    }

    private static void retag(final ObjectNode resource, final String name, final String tag) {
        for (final ObjectNode container : containers(resource)) {
            final String image = container.path("image").asText();
            if (image.equals(name) || image.startsWith(name + ":")) {
                container.put("image", name + ":" + tag);
            }
        }
    }

    /** Resources by {@code kind/name}, for lookups in tests. */
    static Map<String, ObjectNode> byKindAndName(final List<ObjectNode> resources) {
        final Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (final ObjectNode resource : resources) {
            final String key = resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
            if (byName.put(key, resource) != null) {
                throw new IllegalArgumentException("two resources are " + key);
            }
        }
        return byName;
    }
}
