package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTest {
    private final Answer answer = Answer.of("events", List.of("id", "sum", "properties", "at"))
            .field("completeThrough", Instant.parse("2026-11-23T10:00:00Z"))
            .item("a,\"b\"", new BigDecimal("1.500"), Map.of("z", "1", "a", "2"), Instant.parse("2026-11-23T09:00:00Z"))
            .item("c", null, Map.of(), null);

    @Test
    void shouldWriteJsonWithFieldsThenItemsAndExactDecimals() {
        assertEquals("{\"completeThrough\":\"2026-11-23T10:00:00Z\",\"events\":["
                + "{\"id\":\"a,\\\"b\\\"\",\"sum\":1.5,\"properties\":{\"a\":\"2\",\"z\":\"1\"},"
                + "\"at\":\"2026-11-23T09:00:00Z\"},"
                + "{\"id\":\"c\",\"sum\":null,\"properties\":{},\"at\":null}]}",
                new String(answer.json(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteRfc4180CsvOfTheItems() {
        assertEquals("id,sum,properties,at\r\n\"a,\"\"b\"\"\",1.5,a=2;z=1,2026-11-23T09:00:00Z\r\nc,,,\r\n",
                new String(answer.csv(), StandardCharsets.UTF_8));
    }
}
