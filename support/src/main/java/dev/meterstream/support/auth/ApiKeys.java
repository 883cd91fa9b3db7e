package dev.meterstream.support.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys and the tenants they belong to. Only SHA-256 digests of keys are configured or stored, so a leaked
 * configuration file does not leak keys; a request's key is hashed and looked up.
 *
 * <p>Key files have one {@code <sha256-hex> <tenant>} pair a line; '#' starts a comment.
 */
public final class ApiKeys {
    /** Tenants are slugs: they end up in Kafka keys ({@code tenant/id}) and Cassandra partition keys. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> tenantByDigest;

    private ApiKeys(final Map<String, String> tenantByDigest) {
        this.tenantByDigest = Map.copyOf(tenantByDigest);
    }

    /** From digest to tenant; both are checked. */
    public static ApiKeys of(final Map<String, String> tenantByDigest) {
        tenantByDigest.forEach(ApiKeys::check);
        return new ApiKeys(tenantByDigest);
    }

    /** Keys from {@code keys} (a list of {sha256, tenant}) and the optional {@code keys-file} under {@code auth}. */
    public static ApiKeys from(final io.helidon.config.Config auth) {
        final Map<String, String> inline = new HashMap<>();
        auth.get("keys").asNodeList().orElse(java.util.List.of()).forEach(node -> inline.put(
                node.get("sha256").asString().get(), node.get("tenant").asString().get()));
        final ApiKeys keys = of(inline);
        return auth.get("keys-file").asString().asOptional().map(file -> keys.plus(load(Path.of(file))))
                .orElse(keys);
    }

    public static ApiKeys load(final Path file) {
        final Map<String, String> keys = new HashMap<>();
        try {
            int number = 0;
            for (final String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                final String line = raw.replaceFirst("#.*", "").trim();
                if (line.isEmpty()) {
                    continue;
                }
                final String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalArgumentException(file + ":" + number + ": expected '<sha256-hex> <tenant>'");
                }
                check(parts[0], parts[1]);
                keys.put(parts[0], parts[1]);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read API keys file " + file, e);
        }
        return new ApiKeys(keys);
    }

    public ApiKeys plus(final ApiKeys other) {
        final Map<String, String> all = new HashMap<>(tenantByDigest);
        all.putAll(other.tenantByDigest);
        return new ApiKeys(all);
    }

    public boolean isEmpty() {
        return tenantByDigest.isEmpty();
    }

    /** The tenant of an {@code Authorization: Bearer <key>} header value, if the key is known. */
    public Optional<String> tenantFor(final String authorization) {
        return digestOf(authorization).flatMap(this::tenantOf);
    }

    /**
     * The SHA-256 digest of the key in an {@code Authorization: Bearer <key>} header value, if it holds one: hashed
     * once per request, however many sets of keys it is then looked up in.
     */
    public static Optional<String> digestOf(final String authorization) {
        return keyOf(authorization).map(ApiKeys::sha256);
    }

    /** The key in an {@code Authorization: Bearer <key>} header value, if it holds one. */
    static Optional<String> keyOf(final String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        final String key = authorization.substring(BEARER.length()).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    /** The tenant of a key by its digest ({@link #digestOf}), if the key is one of these. */
    public Optional<String> tenantOf(final String digest) {
        return Optional.ofNullable(tenantByDigest.get(digest));
    }

    /** A new random key: 32 bytes, URL-safe Base64, prefixed so that it is recognisable in a leak scanner. */
    public static String generateKey() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ms_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(final String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(final String digest, final String tenant) {
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("an API key digest must be 64 lower-case hex characters (SHA-256), was '"
                    + digest + "'");
        }
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant must match " + TENANT + ", was '" + tenant + "'");
        }
    }
}
