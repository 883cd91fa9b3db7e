package dev.meterstream.infra.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An API's OpenAPI 3.1 document (under docs/openapi) as a test oracle: every answer a test receives is checked
 * against it, so the document cannot drift from the code. An answer passes only if its status is documented for
 * its operation, its content type is documented for that status, its JSON body is valid against the documented
 * schema (JSON Schema 2020-12 with OpenAPI 3.1's dialect, references resolved in the document), and every header
 * documented as required is there. A path the document does not hold must have been answered with the
 * {@code NotFound} response, and a method the path does not serve with {@code MethodNotAllowed}, whose
 * {@code Allow} lists exactly the path's operations.
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    static {
        // The validator reads the whole document as one schema resource, and warns of each OpenAPI member it does not
        // know as a keyword (openapi, info, paths...): noise, not news.
        System.setProperty("org.slf4j.simpleLogger.log.com.networknt.schema.keyword.UnknownKeywordFactory", "error");
    }

    private final JsonNode document;
    private final String uri;
    private final SchemaRegistry schemas;

    private OpenApiContract(final JsonNode document, final String uri) {
        this.document = document;
        this.uri = uri;
        final String text = document.toString();
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(uri, text)));
    }

    /** The document {@code docs/openapi/<api>.yaml} of the project that holds {@code moduleDir}. */
    public static OpenApiContract of(final String api) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs/openapi"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/openapi above " + Path.of("").toAbsolutePath());
        }
        return load(dir.resolve("docs/openapi/" + api + ".yaml"));
    }

    public static OpenApiContract load(final Path yaml) {
        try {
            return new OpenApiContract(new YAMLMapper().readTree(yaml.toFile()),
                    "https://meterstream.dev/openapi/" + yaml.getFileName());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Every problem type ({@code /problems/<kind>}) the document names. */
    public java.util.Set<String> problemTypes() {
        final java.util.Set<String> types = new TreeSet<>();
        final java.util.regex.Matcher found = java.util.regex.Pattern.compile("/problems/[a-z0-9-]+")
                .matcher(document.toString());
        while (found.find()) {
            types.add(found.group());
        }
        return types;
    }

    /** Checks {@code answer} against the request that got it (see below); returns it, for use inline. */
    public java.net.http.HttpResponse<String> check(final java.net.http.HttpResponse<String> answer) {
        check(answer.request().method(), answer.uri().getRawPath(), answer.statusCode(), answer.headers().map(),
                answer.body());
        return answer;
    }

    /**
     * Checks one exchange; throws an AssertionError saying what the document does not allow.
     *
     * @param method      the request's method
     * @param path        the request's path, without its query
     * @param status      the answer's status
     * @param headers     the answer's headers, by name (any case)
     * @param body        the answer's body as text ("" for none)
     */
    public void check(final String method, final String path, final int status, final Map<String, List<String>> headers,
                      final String body) {
        final String where = method + " " + path + " -> " + status;
        final Optional<String> template = template(path);
        final JsonNode response;
        final String pointer;
        if (template.isEmpty()) {
            pointer = "/components/responses/NotFound";
            require(status == 404, where + ": no path of the document matches, so only a 404 may answer");
        } else {
            final JsonNode item = document.get("paths").get(template.get());
            final JsonNode operation = item.get(method.toLowerCase(Locale.ROOT));
            if (operation == null) {
                final TreeSet<String> allowed = new TreeSet<>();
                item.fieldNames().forEachRemaining(name -> {
                    if (METHODS.contains(name)) {
                        allowed.add(name.toUpperCase(Locale.ROOT));
                    }
                });
                final TreeSet<String> allow = new TreeSet<>();
                for (final String value : header(headers, "Allow").orElse("").split(",")) {
                    if (!value.isBlank()) {
                        allow.add(value.trim());
                    }
                }
                require(allow.equals(allowed), where + ": Allow " + allow + " is not the path's operations "
                        + allowed);
                if (method.equalsIgnoreCase("OPTIONS")) {
                    require(status == 204, where + ": OPTIONS on a path without that operation answers 204");
                    return;
                }
                pointer = "/components/responses/MethodNotAllowed";
                require(status == 405, where + ": the path has no " + method + " operation, so only a 405 may "
                        + "answer");
            } else {
                final String operationPointer = "/paths/" + escape(template.get()) + "/"
                        + method.toLowerCase(Locale.ROOT) + "/responses/";
                final String code = String.valueOf(status);
                final String range = code.charAt(0) + "XX";
                if (operation.get("responses").has(code)) {
                    pointer = operationPointer + code;
                } else if (operation.get("responses").has(range)) {
                    pointer = operationPointer + range;
                } else {
                    throw new AssertionError(where + ": status " + status + " is not documented for this operation "
                            + "(documented: " + names(operation.get("responses")) + "); body: " + body);
                }
            }
        }
        final String resolved = resolve(pointer);
        response = document.at(resolved);
        checkHeaders(where, response, headers);
        checkBody(where, resolved, response, header(headers, "Content-Type").orElse(null), body);
    }

    private void checkHeaders(final String where, final JsonNode response, final Map<String, List<String>> headers) {
        final JsonNode documented = response.get("headers");
        if (documented == null) {
            return;
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> header = it.next();
            final JsonNode definition = header.getValue().has("$ref")
                    ? document.at(resolve(header.getValue().get("$ref").asText().substring(1)))
                    : header.getValue();
            if (definition.path("required").asBoolean(false)) {
                require(header(headers, header.getKey()).isPresent(), where + ": header " + header.getKey()
                        + " is required");
            }
        }
    }

    private void checkBody(final String where, final String responsePointer, final JsonNode response,
                           final String contentType, final String body) {
        final JsonNode content = response.get("content");
        if (content == null || content.isEmpty()) {
            require(body.isEmpty(), where + ": the document gives this answer no body, but it has one: " + body);
            return;
        }
        require(contentType != null, where + ": no Content-Type, documented: " + names(content));
        final String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        require(content.has(mediaType), where + ": Content-Type " + mediaType + " is not documented (documented: "
                + names(content) + ")");
        final JsonNode media = content.get(mediaType);
        if (!media.has("schema") || !(mediaType.equals("application/json") || mediaType.endsWith("+json"))) {
            return;
        }
        final JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (final IOException e) {
            throw new AssertionError(where + ": the body is not JSON: " + body, e);
        }
        final Schema schema = schemas.getSchema(SchemaLocation.of(uri + "#" + responsePointer + "/content/"
                + escape(mediaType) + "/schema"));
        final List<Error> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            final List<String> said = new ArrayList<>();
            errors.stream().limit(12).forEach(error -> said.add(error.toString()));
            throw new AssertionError(where + ": the body breaks the documented schema (" + errors.size()
                    + " errors; the first: " + said + "); body: " + (body.length() > 3000 ? body.substring(0, 3000)
                    + "..." : body));
        }
    }

    /** The document's path template that {@code path} matches, literal segments before parameters. */
    Optional<String> template(final String path) {
        final String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (final Iterator<String> it = document.get("paths").fieldNames(); it.hasNext(); ) {
            final String candidate = it.next();
            final String[] parts = candidate.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else {
                    matches = parts[i].equals(segments[i]);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals) {
                best = candidate;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code pointer}, following a response's {@code $ref} to the components. */
    private String resolve(final String pointer) {
        final JsonNode node = document.at(pointer);
        require(!node.isMissingNode(), "the document has nothing at " + pointer);
        if (node.has("$ref")) {
            return resolve(node.get("$ref").asText().substring(1));
        }
        return pointer;
    }

    private static Optional<String> header(final Map<String, List<String>> headers, final String name) {
        return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .flatMap(entry -> entry.getValue().stream()).findFirst();
    }

    private static String escape(final String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> names(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
