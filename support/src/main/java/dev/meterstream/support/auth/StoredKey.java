package dev.meterstream.support.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.JsonBytes;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One API key as the keys topic holds it: never the key itself, only the SHA-256 digest of its secret part. A key
 * reads {@code ms_<id>_<secret>}: the id (16 hex digits) finds the record, and the secret's digest is compared with
 * the stored one in constant time. Keys of the earlier form ({@code ms_<secret>}, configured as digests in files)
 * are still taken by {@link ApiKeys}.
 *
 * @param id        the key's public id (listed, and named to revoke it)
 * @param tenant    the tenant it acts for
 * @param scope     what it may do
 * @param sha256    hex SHA-256 of the secret part
 * @param createdAt when it was made
 * @param expiresAt when it stops working; null: never
 * @param revokedAt when it was revoked; null: not revoked
 */
public record StoredKey(String id, String tenant, Scope scope, String sha256, Instant createdAt, Instant expiresAt,
                        Instant revokedAt) {
    static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final String PREFIX = "ms_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just made: its record, and the key itself, which is shown once and stored nowhere. */
    public record Issued(StoredKey stored, String key) {
    }

    /** The id and secret parts of a key of this form. */
    record Parts(String id, String secret) {
    }

    public StoredKey {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id must be 16 lower-case hex digits, was '" + id + "'");
        }
        if (!ApiKeys.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant must match " + ApiKeys.TENANT + ", was '" + tenant + "'");
        }
    }

    /** A new key of {@code tenant} with {@code scope}, expiring at {@code expiresAt} (null: never). */
    public static Issued issue(final String tenant, final Scope scope, final Instant expiresAt, final Instant now) {
        final byte[] id = new byte[8];
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        final String idText = HexFormat.of().formatHex(id);
        final String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(new StoredKey(idText, tenant, scope, ApiKeys.sha256(secretText), now, expiresAt, null),
                PREFIX + idText + "_" + secretText);
    }

    /** The parts of {@code key} if it has this form. */
    static Optional<Parts> parts(final String key) {
        if (key.length() < PREFIX.length() + 18 || !key.startsWith(PREFIX) || key.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        final String id = key.substring(PREFIX.length(), PREFIX.length() + 16);
        return ID.matcher(id).matches() ? Optional.of(new Parts(id, key.substring(PREFIX.length() + 17)))
                : Optional.empty();
    }

    /** The id of a key of this form, if it is one (to revoke a key one holds). */
    public static Optional<String> idOf(final String key) {
        return parts(key).map(Parts::id);
    }

    public StoredKey revoke(final Instant now) {
        return revokedAt != null ? this : new StoredKey(id, tenant, scope, sha256, createdAt, expiresAt, now);
    }

    /** Usable at {@code now}: neither revoked nor expired. */
    public boolean activeAt(final Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public String state(final Instant now) {
        return revokedAt != null ? "revoked" : expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active";
    }

    public byte[] json() {
        return JsonBytes.write(256, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("tenant", tenant);
            json.writeStringField("scope", scope.json());
            json.writeStringField("sha256", sha256);
            json.writeStringField("createdAt", createdAt.toString());
            if (expiresAt != null) {
                json.writeStringField("expiresAt", expiresAt.toString());
            }
            if (revokedAt != null) {
                json.writeStringField("revokedAt", revokedAt.toString());
            }
            json.writeEndObject();
        });
    }

    public static StoredKey read(final byte[] bytes) {
        try {
            final JsonNode node = EventParser.READER.readTree(bytes);
            return new StoredKey(node.get("id").asText(), node.get("tenant").asText(),
                    Scope.parse(node.get("scope").asText()).orElseThrow(() -> new IllegalArgumentException(
                            "unknown scope " + node.get("scope"))),
                    node.get("sha256").asText(), Instant.parse(node.get("createdAt").asText()),
                    node.hasNonNull("expiresAt") ? Instant.parse(node.get("expiresAt").asText()) : null,
                    node.hasNonNull("revokedAt") ? Instant.parse(node.get("revokedAt").asText()) : null);
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a stored key: " + e.getMessage(), e);
        }
    }
}
