package dev.meterstream.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.meterstream.event.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an endpoint answers: some fields about the answer (freshness, the range, a cursor) and a list of items, all
 * with the same columns. Rendered as JSON ({@code {fields..., "<items>": [{column: value}, ...]}}) or, when the
 * client asks for {@code text/csv}, as CSV of the items (one header line, then one line per item).
 */
record Answer(Map<String, Object> fields, String itemsName, List<String> columns, List<List<Object>> items) {
    private static final JsonFactory JSON = new JsonFactory();

    static Answer of(final String itemsName, final List<String> columns) {
        return new Answer(new LinkedHashMap<>(), itemsName, columns, new java.util.ArrayList<>());
    }

    Answer field(final String name, final Object value) {
        fields.put(name, value);
        return this;
    }

    Answer item(final Object... values) {
        items.add(java.util.Arrays.asList(values));
        return this;
    }

    byte[] json() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (final Map.Entry<String, Object> field : fields.entrySet()) {
                json.writeFieldName(field.getKey());
                value(json, field.getValue());
            }
            json.writeArrayFieldStart(itemsName);
            for (final List<Object> item : items) {
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    json.writeFieldName(columns.get(i));
                    value(json, item.get(i));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] csv() {
        final StringBuilder text = new StringBuilder();
        text.append(String.join(",", columns)).append("\r\n");
        for (final List<Object> item : items) {
            for (int i = 0; i < item.size(); i++) {
                text.append(i == 0 ? "" : ",").append(csvValue(item.get(i)));
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
            case Double number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
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

    /** RFC 4180: quoted when it holds a comma, quote or line break; maps as key=value;key=value. */
    private static String csvValue(final Object value) {
        final String text = switch (value) {
            case null -> "";
            case BigDecimal decimal -> Quantity.text(Quantity.canonical(decimal));
            case Map<?, ?> map -> {
                final StringBuilder pairs = new StringBuilder();
                new java.util.TreeMap<>(map).forEach((k, v) -> pairs.append(pairs.isEmpty() ? "" : ";")
                        .append(k).append('=').append(v));
                yield pairs.toString();
            }
            default -> value.toString();
        };
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
