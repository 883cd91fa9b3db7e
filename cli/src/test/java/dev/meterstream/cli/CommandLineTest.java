package dev.meterstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void shouldRefuseUnknownOptionsAndMissingValuesWithExitTwo() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("send", "--bacth", "5"), Map.of(), new ByteArrayInputStream(new byte[0]),
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("meterstream: unknown option --bacth"));
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("--from"), Set.of("from"), Set.of()));
        assertEquals(List.of("a", "b"), Arguments.parse(List.of("--subject", "a", "--subject=b"), Set.of("subject"),
                Set.of()).all("subject"));
    }

    @Test
    void shouldTakeTheKeyFromTheOptionTheEnvironmentOrTheDevStackInThatOrder(@org.junit.jupiter.api.io.TempDir
                                                                              final Path data) throws Exception {
        java.nio.file.Files.writeString(data.resolve("dev-query-key"), "ms_from-dev\n");
        final Endpoints endpoints = new Endpoints(Map.of("MS_QUERY_KEY", "ms_from-env"), data);
        final Arguments none = Arguments.parse(List.of(), Set.of("key"), Set.of());
        assertEquals("ms_from-opt", endpoints.key(Arguments.parse(List.of("--key", "ms_from-opt"), Set.of("key"),
                Set.of()), "MS_QUERY_KEY", "dev-query-key"));
        assertEquals("ms_from-env", endpoints.key(none, "MS_QUERY_KEY", "dev-query-key"));
        assertEquals("ms_from-dev", new Endpoints(Map.of(), data).key(none, "MS_QUERY_KEY", "dev-query-key"));
        assertThrows(UsageException.class, () -> new Endpoints(Map.of(), data).key(none, "MS_ADMIN_KEY",
                "dev-admin-key"));
    }

    @Test
    void shouldReadAnEventLineExactlyAndRefuseWhatIsNotOne() {
        assertEquals(new BigDecimal("12.50"), EventLine.read("{\"subject\":\"s\",\"meter\":\"m\",\"quantity\":12.50}")
                .quantity());
        assertEquals(new BigDecimal("9007199254740993"), EventLine.read("{\"subject\":\"s\",\"meter\":\"m\","
                + "\"quantity\":\"9007199254740993\"}").quantity());
        assertEquals("meter: is required", assertThrows(IllegalArgumentException.class,
                () -> EventLine.read("{\"subject\":\"s\"}")).getMessage());
        assertEquals("timestamp: must be an RFC 3339 date-time with an offset", assertThrows(
                IllegalArgumentException.class, () -> EventLine.read("{\"subject\":\"s\",\"meter\":\"m\","
                        + "\"timestamp\":\"yesterday\"}")).getMessage());
    }

    @Test
    void shouldDrawItemsAsATableFlatteningNestedMembersAndAligningNumbers() throws Exception {
        final String table = Table.of(QueryApi.JSON.readTree("""
                [{"windowStart":"2026-11-23T00:00:00Z","groupBy":{"model":"gpt"},"value":12.5},
                 {"windowStart":"2026-11-23T01:00:00Z","groupBy":{"model":null},"value":7}]"""));
        assertEquals("""
                windowStart           groupBy.model  value
                --------------------  -------------  -----
                2026-11-23T00:00:00Z  gpt             12.5
                2026-11-23T01:00:00Z                     7
                """, table);
        assertEquals("(none)\n", Table.of(QueryApi.JSON.readTree("[]")));
    }
}
