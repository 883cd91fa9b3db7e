package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.event.WindowSize;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MeterWindowKeyTest {
    @Test
    void keysShouldKeepAnyCharactersApartAndReadBack() {
        final Map<String, String> groups = new LinkedHashMap<>();
        groups.put("zone", "eu/west \"1\"");
        groups.put("model", null);
        groups.put("empty", "");
        final MeterWindowKey key = new MeterWindowKey("acme", "tokens", 3, "a/b,c 😀", groups, WindowSize.HOUR,
                Instant.parse("2026-12-03T10:00:00Z"));

        final MeterWindowKey read = MeterWindowKey.parse(key.text());

        assertEquals(key, read);
        assertEquals(List.of("zone", "model", "empty"), List.copyOf(read.groups().keySet()), "in definition order");
        assertEquals("[\"acme\",\"tokens\",3,\"a/b,c 😀\",{\"zone\":\"eu/west \\\"1\\\"\",\"model\":null,"
                + "\"empty\":\"\"},\"HOUR\",\"2026-12-03T10:00:00Z\"]", key.text());
        assertThrows(IllegalArgumentException.class, () -> MeterWindowKey.parse("acme/tokens"));
        assertThrows(IllegalArgumentException.class, () -> MeterWindowKey.parse("[\"acme\"]"));
    }

    @Test
    void statesShouldReadBackExactly() {
        final List<MeterState> states = List.of(MeterState.empty(),
                new MeterState(3, new BigDecimal("12345678901234567890.123456789012345678"), null, 0, new TreeSet<>()),
                new MeterState(2, new BigDecimal("-0.5"), Instant.parse("2026-12-03T10:00:00.123456789Z"),
                        (7L << 48) | 42, new TreeSet<>()),
                new MeterState(4, null, null, 0, new TreeSet<>(List.of("", "é", "😀", "a,b"))));
        for (final MeterState state : states) {
            assertEquals(state, MeterStateJson.read(MeterStateJson.write(state)));
        }
        assertThrows(IllegalArgumentException.class, () -> MeterStateJson.read("[]".getBytes()));
    }
}
