package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.schema.SeriesBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorSignerTest {
    private static final Instant FROM = Instant.parse("2026-11-20T10:00:00.123456Z");
    private static final Instant TO = Instant.parse("2026-11-25T00:00:00Z");
    private static final CursorSigner.Scope SCOPE = new CursorSigner.Scope("acme", "user-1", FROM, TO);
    private static final CursorSigner SIGNER = new CursorSigner(new byte[32]);

    private static EventQueries.Cursor at(final Instant time, final String id) {
        return new EventQueries.Cursor(SeriesBucket.day(time), time, id);
    }

    @Test
    void shouldAcceptItsOwnCursorForTheSameRequestOnly() {
        final EventQueries.Cursor cursor = at(Instant.parse("2026-11-22T08:00:00.001Z"), "id|with|bars");
        final String text = SIGNER.sign(SCOPE, cursor);
        assertEquals(Optional.of(cursor), SIGNER.verify(SCOPE, text));
        for (final CursorSigner.Scope other : List.of(
                new CursorSigner.Scope("globex", "user-1", FROM, TO),
                new CursorSigner.Scope("acme", "user-2", FROM, TO),
                new CursorSigner.Scope("acme", "user-1", FROM.minusSeconds(1), TO),
                new CursorSigner.Scope("acme", "user-1", FROM, TO.plusSeconds(1)),
                // The fields' lengths are signed too: moving a character from one field to the next is another scope.
                new CursorSigner.Scope("acm", "euser-1", FROM, TO))) {
            assertEquals(Optional.empty(), SIGNER.verify(other, text), other.toString());
        }
        final byte[] otherSecret = new byte[32];
        otherSecret[0] = 1;
        assertEquals(Optional.empty(), new CursorSigner(otherSecret).verify(SCOPE, text), "another key");
    }

    @Test
    void shouldRefuseEveryChangedCharacter() {
        final String text = SIGNER.sign(SCOPE, at(Instant.parse("2026-11-22T08:00:00.001Z"), "e-1"));
        for (int i = 0; i < text.length(); i++) {
            final char changed = text.charAt(i) == 'A' ? 'B' : 'A';
            final String forged = text.substring(0, i) + changed + text.substring(i + 1);
            assertEquals(Optional.empty(), SIGNER.verify(SCOPE, forged), "changed at " + i + ": " + forged);
        }
        assertEquals(Optional.empty(), SIGNER.verify(SCOPE, text + "A"));
        assertEquals(Optional.empty(), SIGNER.verify(SCOPE, text.substring(0, text.indexOf('.'))));
        assertEquals(Optional.empty(), SIGNER.verify(SCOPE, "x".repeat(CursorSigner.MAX_TEXT + 1)));
        assertEquals(Optional.empty(), SIGNER.verify(SCOPE, "%%%.%%%"));
    }

    @Test
    void shouldRefuseASignedPositionOutsideTheRange() {
        for (final EventQueries.Cursor outside : List.of(
                at(Instant.parse("0001-01-01T00:00:00Z"), "x"),
                at(FROM.minusMillis(1), "x"),
                at(TO, "x"),
                new EventQueries.Cursor(SeriesBucket.day(FROM).minusDays(1), FROM.plusSeconds(60), "x"))) {
            assertEquals(Optional.empty(), SIGNER.verify(SCOPE, SIGNER.sign(SCOPE, outside)), outside.toString());
        }
        // The first event's millisecond may be before from's exact instant (cursors hold milliseconds).
        final EventQueries.Cursor first = at(FROM.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "x");
        assertEquals(Optional.of(first), SIGNER.verify(SCOPE, SIGNER.sign(SCOPE, first)));
    }

    @Test
    void shouldReadTheSecretFromItsFileAndNameTheKeyWhenItIsTooShort(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("secret");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        final String text = CursorSigner.from(Optional.of(file)).sign(SCOPE, at(FROM.plusSeconds(1), "e"));
        assertTrue(SIGNER.verify(SCOPE, text).isPresent(), "the same secret signs the same");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CursorSigner.from(Optional.of(file)));
        assertTrue(e.getMessage().contains("query.cursor-secret-file"), e.getMessage());
    }
}
