package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.EventParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTest {
    private record Item(String id, BigDecimal sum, Map<String, String> properties, Instant at) {
    }

    private final Answer<Item> answer = Answer.of("events", List.of(
                    new Answer.Column<Item>("id", Item::id), new Answer.Column<Item>("sum", Item::sum),
                    new Answer.Column<Item>("properties", Item::properties), new Answer.Column<Item>("at", Item::at)))
            .field("completeThrough", Instant.parse("2026-11-23T10:00:00Z"))
            .item(new Item("a,\"b\"", new BigDecimal("1.500"), Map.of("z", "1", "a", "2"),
                    Instant.parse("2026-11-23T09:00:00Z")))
            .item(new Item("c", null, Map.of(), null));

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

    @Test
    void shouldWriteListsAndWholeDocuments() throws Exception {
        final Answer<List<String>> lists = Answer.of("meters", List.of(new Answer.Column<List<String>>("definedBy",
                        list -> list)))
                .field("definitions", List.of(EventParser.READER.readTree("{\"groupBy\":{\"m\":\"$.m\"},\"v\":2}")))
                .item(List.of("a", "b")).item(List.of());
        assertEquals("{\"definitions\":[{\"groupBy\":{\"m\":\"$.m\"},\"v\":2}],\"meters\":[{\"definedBy\":[\"a\",\"b\"]},"
                + "{\"definedBy\":[]}]}", new String(lists.json(), StandardCharsets.UTF_8));
        assertEquals("definedBy\r\na;b\r\n\r\n", new String(lists.csv(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldNeutraliseTextThatASpreadsheetWouldRunButNotNumbers() {
        final Answer<Item> formulas = Answer.of("events", List.of(
                        new Answer.Column<Item>("id", Item::id), new Answer.Column<Item>("sum", Item::sum),
                        new Answer.Column<Item>("properties", Item::properties)))
                .item(new Item("=HYPERLINK(\"http://x\")", new BigDecimal("-2.5"), Map.of("@a", "1"), null))
                .item(new Item("+1", BigDecimal.ONE, Map.of(), null))
                .item(new Item("-1", BigDecimal.ONE, Map.of(), null))
                .item(new Item("\tcmd", BigDecimal.ONE, Map.of(), null))
                .item(new Item("a=b", BigDecimal.ONE, Map.of("k", "=v"), null));
        assertEquals("id,sum,properties\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-2.5,'@a=1\r\n'+1,1,\r\n'-1,1,\r\n"
                + "'\tcmd,1,\r\na=b,1,k==v\r\n", new String(formulas.csv(), StandardCharsets.UTF_8));
    }
}
