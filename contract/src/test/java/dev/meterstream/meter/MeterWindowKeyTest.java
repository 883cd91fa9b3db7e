package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.event.WindowSize;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
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
        final MeterWindowKey window = new MeterWindowKey("acme", "tokens", 3, "a/b,c 😀", groups, WindowSize.HOUR,
                Instant.parse("2026-12-03T10:00:00Z"));
        final MeterVersion version = new MeterVersion("acme", "tokens", 3);
        final List<MeterRecordKey> keys = List.of(new MeterRecordKey.State(window, 11, MeterSource.BACKFILL),
                new MeterRecordKey.State(window.allSubjects(), 0, MeterSource.LIVE),
                new MeterRecordKey.Distinct(window, "é"), new MeterRecordKey.Distinct(window, ""),
                new MeterRecordKey.TypeStates(new MeterTypeWindow("acme", "llm \"call\"", "a/b,c 😀", WindowSize.DAY,
                        Instant.parse("2026-12-03T00:00:00Z")), 11),
                new MeterRecordKey.TypeStates(new MeterTypeWindow("acme", "llm \"call\"", null, WindowSize.DAY,
                        Instant.parse("2026-12-03T00:00:00Z")), 11),
                new MeterRecordKey.Boundary(version, 7), new MeterRecordKey.Progress(version, 7),
                new MeterRecordKey.End(version, 7),
                new MeterRecordKey.Backfilled(version));

        for (final MeterRecordKey key : keys) {
            final MeterRecordKey read = MeterRecordKey.read(key.bytes());
            assertEquals(key, read);
        }
        assertEquals(List.of("zone", "model", "empty"),
                List.copyOf(((MeterRecordKey.State) MeterRecordKey.read(keys.get(0).bytes())).window().groups()
                        .keySet()), "in definition order");
        assertEquals(keys.size(), keys.stream().map(key -> HexFormat.of().formatHex(key.bytes())).distinct().count());
    }

    @Test
    void keysShouldKeepTheirBytesAcrossVersions() {
        // Stored keys and compacted topics depend on these exact bytes: a change here makes every key a new one.
        final MeterWindowKey window = new MeterWindowKey("t", "m", 1, "s", Map.of("g", "v"), WindowSize.MINUTE,
                Instant.ofEpochSecond(60));
        assertEquals("eace9071" + "01" + "0174" + "016d" + "01" + "010173" + "01" + "0167" + "010176" + "01"
                + "000000000000003c" + "02" + "00", HexFormat.of().formatHex(new MeterRecordKey.State(window, 2, MeterSource.LIVE).bytes()));
    }

    @Test
    void aTypesStatesShouldReadBackExactlyAndStandForEachMetersState() {
        final Map<String, String> groups = new LinkedHashMap<>();
        groups.put("model", "gpt 😀");
        groups.put("region", null);
        final MeterTypeStates states = new MeterTypeStates();
        final Instant time = Instant.parse("2026-12-03T10:15:30.5Z");
        final MeterTypeStates.Entry sum = new MeterTypeStates.Entry("tokens", 2, groups);
        final MeterTypeStates.Entry latest = new MeterTypeStates.Entry("last", 1, Map.of());
        states.fold(sum, Aggregation.SUM, new MeterInput(groups, new BigDecimal("1.5"), null, time, 9));
        states.fold(latest, Aggregation.LATEST, new MeterInput(Map.of(), new BigDecimal("7"), null, time, 9));
        states.fold(sum, Aggregation.SUM, new MeterInput(groups, new BigDecimal("2"), null, time, 10));

        final MeterTypeStates read = MeterTypeStates.read(states.bytes());
        assertEquals(states.states(), read.states());
        assertEquals(List.of("model", "region"), List.copyOf(read.states().keySet().iterator().next().groups().keySet()));
        assertEquals(new BigDecimal("3.5"), read.states().get(sum).number());
        assertEquals(2, read.states().get(sum).count());

        final MeterRecordKey.TypeStates key = new MeterRecordKey.TypeStates(new MeterTypeWindow("acme", "llm", null,
                WindowSize.HOUR, Instant.parse("2026-12-03T10:00:00Z")), 4);
        final Map<MeterRecordKey.State, MeterState> byMeter = read.byMeter(key);
        assertEquals(read.states().get(latest), byMeter.get(new MeterRecordKey.State(new MeterWindowKey("acme", "last",
                1, null, Map.of(), WindowSize.HOUR, key.window().windowStart()), 4, MeterSource.LIVE)));
        assertEquals(2, byMeter.size());
        // Written again after a change, read or folded here alike: no part written before is kept stale.
        final MeterInput more = new MeterInput(groups, new BigDecimal("4"), null, time, 11);
        read.fold(sum, Aggregation.SUM, more);
        states.fold(sum, Aggregation.SUM, more);
        assertEquals(new BigDecimal("7.5"), MeterTypeStates.read(read.bytes()).states().get(sum).number());
        assertEquals(states.states(), MeterTypeStates.read(states.bytes()).states());
        assertEquals(HexFormat.of().formatHex(states.bytes()), HexFormat.of().formatHex(read.bytes()));
        assertThrows(IllegalArgumentException.class, () -> MeterTypeStates.read(new byte[] {2, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> MeterTypeStates.read(java.util.Arrays.copyOf(states.bytes(), states.bytes().length + 1)));
    }

    @Test
    void entriesShouldBeMadeOncePerGroupAndEqualThoseRead() {
        final MeterTypeStates.Entries entries = new MeterTypeStates.Entries();
        final Map<String, String> groups = new LinkedHashMap<>();
        groups.put("model", null);
        final MeterTypeStates.Entry made = entries.of("tokens", 3, groups);
        groups.put("model", "gpt");
        assertNull(made.groups().get("model"), "the group is copied when first seen");
        assertNotSame(made, entries.of("tokens", 3, Map.of("model", "gpt")));
        assertSame(made, entries.of("tokens", 3, java.util.Collections.singletonMap("model", null)));
        final MeterTypeStates states = new MeterTypeStates();
        states.fold(made, Aggregation.COUNT, new MeterInput(made.groups(), null, null, Instant.EPOCH, 1));
        final MeterTypeStates.Entry read = MeterTypeStates.read(states.bytes()).states().keySet().iterator().next();
        assertEquals(made, read);
        assertEquals(made.hashCode(), read.hashCode());
        assertFalse(made.equals(entries.of("tokens", 4, made.groups())));
    }

    @Test
    void keysThatAreNotOursShouldNotRead() {
        final byte[] key = new MeterRecordKey.Boundary(new MeterVersion("acme", "tokens", 1), 3).bytes();
        for (int i = 0; i < key.length; i++) {
            final byte[] changed = key.clone();
            changed[i] ^= 1;
            assertThrows(IllegalArgumentException.class, () -> MeterRecordKey.read(changed), "byte " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> MeterRecordKey.read(new byte[3]));
        assertThrows(IllegalArgumentException.class,
                () -> MeterRecordKey.read("[\"boundary\",\"acme\"]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void statesShouldReadBackExactly() {
        final List<MeterState> states = List.of(MeterState.empty(),
                new MeterState(3, new BigDecimal("12345678901234567890.123456789012345678"), null, 0, new TreeSet<>()),
                new MeterState(2, new BigDecimal("-0.5"), Instant.parse("2026-12-03T10:00:00.123456789Z"),
                        (7L << 48) | 42, new TreeSet<>()),
                new MeterState(4, null, null, 0, new TreeSet<>(List.of("", "é", "😀", "a,b"))));
        for (final MeterState state : states) {
            assertEquals(state, MeterStateBytes.read(MeterStateBytes.write(state)));
        }
        assertThrows(IllegalArgumentException.class, () -> MeterStateBytes.read("[]".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> MeterStateBytes.read(new byte[0]));
        final byte[] longer = java.util.Arrays.copyOf(MeterStateBytes.write(states.get(1)), 40);
        assertThrows(IllegalArgumentException.class, () -> MeterStateBytes.read(longer));
    }
}
