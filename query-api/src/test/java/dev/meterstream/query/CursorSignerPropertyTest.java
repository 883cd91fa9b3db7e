package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.schema.SeriesBucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Any position a page can end at comes back from its cursor unchanged, and only for the request it was given for. */
class CursorSignerPropertyTest {
    private static final CursorSigner SIGNER = CursorSigner.from(Optional.empty());
    private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");

    @Property(tries = 1000)
    void aCursorComesBackAsItWasGiven(@ForAll("ids") final String id, @ForAll("ids") final String subject,
                                      @ForAll @LongRange(min = 0, max = 36L * 86_400_000 - 1) final long millis) {
        final Instant to = FROM.plus(Duration.ofDays(36));
        final Instant time = FROM.plusMillis(millis).truncatedTo(ChronoUnit.MILLIS);
        final CursorSigner.Scope scope = new CursorSigner.Scope("acme", subject, FROM, to);
        final EventQueries.Cursor cursor = new EventQueries.Cursor(SeriesBucket.day(time), time, id);
        final String text = SIGNER.sign(scope, cursor);
        assertEquals(Optional.of(cursor), SIGNER.verify(scope, text));
        assertEquals(Optional.empty(), SIGNER.verify(new CursorSigner.Scope("acme", subject + "x", FROM, to), text));
    }

    /** Ids and subjects as producers send them: any well-formed Unicode up to 128 characters, '|' and '.' too. */
    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(128),
                        Arbitraries.strings().withChars("|.=-_ab").ofMinLength(1).ofMaxLength(10))
                .filter(value -> dev.meterstream.event.Text.wellFormed(value) == null);
    }
}
