package dev.meterstream.query;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /}: the analysts' page, one self-contained HTML file that draws what the endpoints answer. */
final class AnalystPage implements Handler {
    private final byte[] html;

    AnalystPage() {
        try (InputStream in = AnalystPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("resource /web/index.html missing from query-api");
            }
            html = in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(final ServerRequest request, final ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .send(html);
    }
}
