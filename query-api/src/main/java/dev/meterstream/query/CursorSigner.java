package dev.meterstream.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the cursors of a subject's events and checks them when they come back. A cursor says where a page ended (a
 * day, a millisecond, an event id) and carries an HMAC-SHA256 over that position and the request it belongs to
 * (tenant, subject, from, to), so a cursor that was forged, changed, or taken to another subject, tenant or range is
 * refused; and its position must lie in the request's range, so even a well-signed cursor cannot make a read start
 * outside what was asked for. The check is constant work: the text's length is bounded before anything is decoded,
 * and the MAC is compared in constant time before the position is parsed.
 *
 * <p>The key is read from {@code query.cursor-secret-file} (at least 32 random bytes, Base64) so that every instance
 * accepts the others' cursors; without the file each process makes its own, and its cursors die with it.
 */
final class CursorSigner {
    private static final Logger LOG = Logger.getLogger(CursorSigner.class.getName());
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_SECRET_BYTES = 32;
    /** Longer than any cursor this service makes (an event id is at most a few hundred characters). */
    static final int MAX_TEXT = 1024;

    /** The request a cursor belongs to. */
    record Scope(String tenant, String subject, Instant from, Instant to) {
    }

    private final SecretKeySpec key;

    CursorSigner(final byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("query.cursor-secret-file must hold at least " + MIN_SECRET_BYTES
                    + " bytes (Base64), held " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The signer of {@code query.cursor-secret-file}, or of a random secret if no file is named. */
    static CursorSigner from(final Optional<Path> secretFile) {
        if (secretFile.isEmpty()) {
            LOG.info("no query.cursor-secret-file: cursors are signed with a key of this process only");
            final byte[] secret = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            return new CursorSigner(secret);
        }
        try {
            final String text = Files.readString(secretFile.get(), StandardCharsets.US_ASCII).trim();
            return new CursorSigner(Base64.getDecoder().decode(text));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read query.cursor-secret-file " + secretFile.get(), e);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("query.cursor-secret-file " + secretFile.get() + ": "
                    + e.getMessage(), e);
        }
    }

    String sign(final Scope scope, final EventQueries.Cursor cursor) {
        final byte[] position = position(cursor).getBytes(StandardCharsets.UTF_8);
        final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(position) + "." + base64.encodeToString(mac(scope, position));
    }

    /** The cursor in {@code text}, if this service signed it for this scope and it lies in the scope's range. */
    Optional<EventQueries.Cursor> verify(final Scope scope, final String text) {
        if (text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        final int dot = text.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        final byte[] position;
        final byte[] mac;
        try {
            position = Base64.getUrlDecoder().decode(text.substring(0, dot));
            mac = Base64.getUrlDecoder().decode(text.substring(dot + 1));
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, mac(scope, position))) {
            return Optional.empty();
        }
        final EventQueries.Cursor cursor;
        try {
            final String[] parts = new String(position, StandardCharsets.UTF_8).split("\\|", 3);
            cursor = new EventQueries.Cursor(LocalDate.parse(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts[2]);
        } catch (final RuntimeException e) {
            return Optional.empty();
        }
        return inRange(scope, cursor) ? Optional.of(cursor) : Optional.empty();
    }

    /** The position inside [from, to), and its day that of its time, so a read can only start where asked. */
    private static boolean inRange(final Scope scope, final EventQueries.Cursor cursor) {
        final Instant fromMillis = scope.from().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return !cursor.eventTime().isBefore(fromMillis) && cursor.eventTime().isBefore(scope.to())
                && cursor.day().equals(dev.meterstream.schema.SeriesBucket.day(cursor.eventTime()));
    }

    private static String position(final EventQueries.Cursor cursor) {
        return cursor.day() + "|" + cursor.eventTime().toEpochMilli() + "|" + cursor.eventId();
    }

    private byte[] mac(final Scope scope, final byte[] position) {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // Each field's length first, so that no two scopes share a byte string ("a|b" + "c" vs "a" + "b|c").
            for (final String field : new String[] {scope.tenant(), scope.subject(), scope.from().toString(),
                    scope.to().toString()}) {
                final byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                mac.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return mac.doFinal(position);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    }
}
