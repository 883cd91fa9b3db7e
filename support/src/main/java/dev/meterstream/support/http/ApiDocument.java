package dev.meterstream.support.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi}: the API's OpenAPI 3.1 document, as YAML, open like health and metrics. The document's home
 * is docs/openapi; the build copies it into the service's jar under {@code openapi/}, and the ITs check every answer
 * they get against the same file.
 */
public final class ApiDocument {
    public static final String PATH = "/openapi";
    static final String MEDIA_TYPE = "application/yaml";

    private ApiDocument() {
    }

    /** Routes {@value #PATH} to the document {@code openapi/<api>.yaml} on the class path; fails if it is not there. */
    public static void route(final HttpRules rules, final String api) {
        final byte[] document = read("/openapi/" + api + ".yaml");
        Resource.route(rules, PATH, Resource.get((request, response) -> response
                .header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE)
                .send(document)));
    }

    private static byte[] read(final String resource) {
        try (InputStream in = ApiDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path: the build copies it from "
                        + "docs/openapi");
            }
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
