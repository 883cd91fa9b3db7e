package dev.meterstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a manifest against the schema of its kind, as an API server with strict field validation would, for the
 * two dialects the schemas come in: a CRD's structural {@code openAPIV3Schema}, and fabric8's JSON schemas of the
 * Kubernetes API (draft-style, with {@code $ref}s into one document's {@code definitions}). Unknown fields are
 * errors in both (kubectl's default since 1.27), which is most of what a typo in a manifest is.
 *
 * <p>What it reads: {@code $ref}, {@code type}, {@code properties}, {@code additionalProperties} (a schema: a map's
 * values), {@code items}, {@code required} (the list form), {@code enum}, {@code pattern},
 * {@code minimum}/{@code maximum}, {@code oneOf}/{@code anyOf} as structural schemas use them (branches that only
 * name required fields), {@code x-kubernetes-preserve-unknown-fields} and {@code x-kubernetes-int-or-string}, and
 * fabric8's types that YAML writes as scalars (quantities, int-or-string). What it does not: formats, CEL rules,
 * and the API server's own validation beyond the schema (a container's name being set, say).
 */
final class SchemaCheck {
    private final JsonNode document;

    /** @param document the schema document that {@code $ref}s point into (fabric8's), or the CRD's schema */
    SchemaCheck(final JsonNode document) {
        this.document = document;
    }

    /** Every way {@code value} breaks {@code schema}, each naming the field's path; empty if none. */
    List<String> check(final JsonNode value, final JsonNode schema, final String path) {
        final List<String> errors = new ArrayList<>();
        check(value, schema, path, errors);
        return errors;
    }

    private void check(final JsonNode value, final JsonNode given, final String path, final List<String> errors) {
        final JsonNode schema = resolve(given);
        final String javaType = given.path("existingJavaType").asText(schema.path("existingJavaType").asText(""));
        if (javaType.endsWith("Quantity")) {
            if (!value.isTextual() && !value.isNumber()) {
                errors.add(path + ": a quantity (like 500m or 2Gi) must be a string or a number, was " + value);
            }
            return;
        }
        if (javaType.endsWith("IntOrString") || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !value.isIntegralNumber()) {
                errors.add(path + ": must be an integer or a string, was " + value);
            }
            return;
        }
        final String type = schema.path("type").asText("");
        // A field that keeps unknown fields takes what its operator decodes itself: cass-operator's spec.config is
        // "type: string, format: byte" over raw JSON, and its own samples give it an object.
        final boolean raw = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!type.isEmpty() && !raw && !hasType(value, type)) {
            errors.add(path + ": must be " + type + ", was " + describe(value));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (final JsonNode option : schema.get("enum")) {
                found |= option.equals(value) || option.asText().equals(value.asText());
            }
            if (!found) {
                errors.add(path + ": must be one of " + schema.get("enum") + ", was " + value);
            }
        }
        if (schema.has("pattern") && value.isTextual()
                && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            errors.add(path + ": must match " + schema.get("pattern").asText() + ", was " + value);
        }
        if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(path + ": must be at least " + schema.get("minimum") + ", was " + value);
        }
        if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
            errors.add(path + ": must be at most " + schema.get("maximum") + ", was " + value);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), path + "[" + i + "]", errors);
            }
        }
        if (value.isObject()) {
            checkObject(value, schema, path, errors);
        }
    }

    private void checkObject(final JsonNode value, final JsonNode schema, final String path,
                             final List<String> errors) {
        final JsonNode properties = schema.path("properties");
        final JsonNode additional = schema.get("additionalProperties");
        final boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        // fabric8 marks every object "additionalProperties: true" (its Java classes keep unknown fields in a map);
        // with properties listed, the API server would still refuse a field it does not know. Without properties
        // (a raw extension, say) anything goes. A CRD's object without properties and without
        // x-kubernetes-preserve-unknown-fields is empty in a structural schema.
        final boolean free = preserveUnknown || (additional != null && additional.isBoolean()
                && additional.asBoolean() && properties.isEmpty());
        for (final Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), fieldPath, errors);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, fieldPath, errors);
            } else if (!free) {
                errors.add(fieldPath + ": unknown field (known: " + names(properties) + ")");
            }
        }
        // Only the list form: fabric8 marks apiVersion and kind "required: true" on every kind, templates in
        // other resources (a StatefulSet's volume claims) included, where the API does not require them.
        final Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (final String name : required) {
            if (!value.has(name)) {
                errors.add(path + "." + name + ": required");
            }
        }
        checkBranches(value, schema.path("oneOf"), true, path, errors);
        checkBranches(value, schema.path("anyOf"), false, path, errors);
    }

    /** Structural schemas' oneOf/anyOf: each branch names fields that must be there (one branch, or some). */
    private static void checkBranches(final JsonNode value, final JsonNode branches, final boolean exactlyOne,
                                      final String path, final List<String> errors) {
        if (!branches.isArray() || branches.isEmpty()) {
            return;
        }
        int met = 0;
        for (final JsonNode branch : branches) {
            boolean all = true;
            for (final JsonNode name : branch.path("required")) {
                all &= value.has(name.asText());
            }
            met += all ? 1 : 0;
        }
        if (exactlyOne ? met != 1 : met == 0) {
            errors.add(path + ": must have " + (exactlyOne ? "exactly one" : "at least one") + " of "
                    + branches + ", has " + met);
        }
    }

    private JsonNode resolve(final JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            final String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local $refs are read, was " + ref);
            }
            final JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("$ref to nothing: " + ref);
            }
            current = target;
        }
        return current;
    }

    private static boolean hasType(final JsonNode value, final String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown schema type " + type);
        };
    }

    private static String describe(final JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    private static List<String> names(final JsonNode properties) {
        final List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
