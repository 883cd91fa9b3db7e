package dev.meterstream.query;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /}: the analysts' page, one self-contained HTML file that draws what the endpoints answer. It is sent
 * with a Content-Security-Policy that lets the browser run only the page's own inline script and style (by their
 * SHA-256, computed here from the file, so an edit of the page cannot leave the policy behind) and fetch only from
 * this origin, and that no other site may frame it: an analyst's key is typed into it.
 */
final class AnalystPage implements Handler {
    static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    private final byte[] html;
    private final String policy;

    AnalystPage() {
        try (InputStream in = AnalystPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("resource /web/index.html missing from query-api");
            }
            html = in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final String text = new String(html, StandardCharsets.UTF_8);
        policy = "default-src 'none'; script-src " + hash(text, "script") + "; style-src " + hash(text, "style")
                + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The CSP source of the page's one inline {@code <tag>} element: its content's SHA-256. */
    private static String hash(final String page, final String tag) {
        final Matcher element = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page);
        if (!element.find()) {
            throw new IllegalStateException("/web/index.html has no <" + tag + "> element");
        }
        try {
            return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(element.group(1).getBytes(StandardCharsets.UTF_8))) + "'";
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void handle(final ServerRequest request, final ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .header(CSP, policy)
                .header(CONTENT_TYPE_OPTIONS, "nosniff")
                .header(HeaderNames.create("X-Frame-Options"), "DENY")
                .header(REFERRER_POLICY, "no-referrer")
                .send(html);
    }
}
