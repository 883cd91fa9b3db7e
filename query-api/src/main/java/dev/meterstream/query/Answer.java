package dev.meterstream.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.JsonBytes;
import dev.meterstream.event.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an endpoint answers: some fields about the answer (freshness, the range, a cursor) and a list of items, all
 * with the same columns. Rendered as JSON ({@code {fields..., "<items>": [{column: value}, ...]}}) or, when the
 * client asks for {@code text/csv}, as CSV of the items (one header line, then one line per item).
 *
 * <p>Each column names itself and reads its value from a typed item, so a column and its value cannot drift apart.
 *
 * @param <T> what one item is
 */
final class Answer<T> {
    /** One column of the items: its name in JSON and CSV, and how it is read from an item. */
    record Column<T>(String name, Function<T, Object> value) {
    }

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final String itemsName;
    private final List<Column<T>> columns;
    /** The CSV's columns, where they differ from JSON's (a nested object as one column per member). */
    /** First characters that make a spreadsheet read a cell as a formula. */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private List<Column<T>> csvColumns;
    private final List<T> items = new ArrayList<>();

    private Answer(final String itemsName, final List<Column<T>> columns) {
        this.itemsName = itemsName;
        this.columns = List.copyOf(columns);
        this.csvColumns = this.columns;
    }

    /** CSV's columns instead of JSON's: a spreadsheet wants a flat row. */
    Answer<T> csvColumns(final List<Column<T>> columns) {
        this.csvColumns = List.copyOf(columns);
        return this;
    }

    static <T> Answer<T> of(final String itemsName, final List<Column<T>> columns) {
        return new Answer<>(itemsName, columns);
    }

    Answer<T> field(final String name, final Object value) {
        fields.put(name, value);
        return this;
    }

    boolean hasField(final String name) {
        return fields.containsKey(name);
    }

    Answer<T> item(final T item) {
        items.add(item);
        return this;
    }

    byte[] json() {
        return JsonBytes.write(1024, json -> {
            json.writeStartObject();
            for (final Map.Entry<String, Object> field : fields.entrySet()) {
                json.writeFieldName(field.getKey());
                value(json, field.getValue());
            }
            json.writeArrayFieldStart(itemsName);
            for (final T item : items) {
                json.writeStartObject();
                for (final Column<T> column : columns) {
                    json.writeFieldName(column.name());
                    value(json, column.value().apply(item));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    byte[] csv() {
        final StringBuilder text = new StringBuilder();
        text.append(String.join(",", csvColumns.stream().map(column -> csvValue(column.name())).toList()))
                .append("\r\n");
        for (final T item : items) {
            for (int i = 0; i < csvColumns.size(); i++) {
                text.append(i == 0 ? "" : ",").append(csvValue(csvColumns.get(i).value().apply(item)));
            }
            text.append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(final JsonGenerator json, final Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            // Plain notation, exactly (Quantity): never 9.007199254740992E15.
            case BigDecimal decimal -> json.writeNumber(Quantity.text(Quantity.canonical(decimal)));
            case Boolean flag -> json.writeBoolean(flag);
            case Double number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            // A document of its own (a meter definition), written as it is.
            case JsonNode node -> EventParser.READER.writeTree(json, node);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (final Map.Entry<?, ?> entry : new java.util.TreeMap<>(map).entrySet()) {
                    json.writeStringField(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
                }
                json.writeEndObject();
            }
            case List<?> list -> {
                json.writeStartArray();
                for (final Object element : list) {
                    value(json, element);
                }
                json.writeEndArray();
            }
            default -> json.writeString(value.toString());
        }
    }

    /**
     * RFC 4180: quoted when it holds a comma, quote or line break; maps as key=value;key=value. Text a producer or
     * analyst chose (a subject, an id, a property) that starts as a spreadsheet formula would ({@code = + - @}, tab,
     * carriage return) gets a leading apostrophe, so that opening the file runs nothing (OWASP's CSV injection
     * advice); numbers and instants are ours and stay as they are, negative numbers too.
     */
    private static String csvValue(final Object value) {
        final String text = switch (value) {
            case null -> "";
            case BigDecimal decimal -> Quantity.text(Quantity.canonical(decimal));
            case Number number -> number.toString();
            case Instant instant -> instant.toString();
            case Map<?, ?> map -> {
                final StringBuilder pairs = new StringBuilder();
                new java.util.TreeMap<>(map).forEach((k, v) -> pairs.append(pairs.isEmpty() ? "" : ";")
                        .append(k).append('=').append(v));
                yield neutral(pairs.toString());
            }
            case List<?> list -> neutral(String.join(";", list.stream().map(String::valueOf).toList()));
            default -> neutral(value.toString());
        };
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String neutral(final String text) {
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
