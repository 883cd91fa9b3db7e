package dev.meterstream.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the client needs, so that it depends on nothing but the JDK: events written exactly (quantities in
 * plain notation, every string escaped so that the server sees what the caller gave, a lone surrogate included), and
 * answers read into maps, lists, strings, decimals, booleans and nulls.
 */
final class Json {
    private Json() {
    }

    static byte[] event(final UsageEvent event, final String id) {
        final StringBuilder json = new StringBuilder(128).append('{');
        field(json, "id", id);
        json.append(',');
        field(json, "subject", event.subject());
        json.append(',');
        field(json, "meter", event.meter());
        if (event.quantity() != null) {
            json.append(",\"quantity\":").append(event.quantity().toPlainString());
        }
        if (event.timestamp() != null) {
            json.append(',');
            field(json, "timestamp", event.timestamp().toString());
        }
        if (!event.properties().isEmpty()) {
            json.append(",\"properties\":{");
            boolean first = true;
            for (final Map.Entry<String, String> property : event.properties().entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                field(json, property.getKey(), property.getValue());
            }
            json.append('}');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(final StringBuilder json, final String name, final String value) {
        string(json, name);
        json.append(':');
        string(json, value);
    }

    static void string(final StringBuilder json, final String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !pairedAt(value, i)) {
                json.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                json.append(c).append(value.charAt(++i));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean pairedAt(final String value, final int i) {
        final char c = value.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
    }

    /** A JSON text as maps, lists, strings, BigDecimals, booleans and nulls; IllegalArgumentException if malformed. */
    static Object parse(final String text) {
        final Reader reader = new Reader(text);
        final Object value = reader.value();
        reader.skipSpace();
        if (reader.at < text.length()) {
            throw reader.malformed("trailing characters");
        }
        return value;
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(final String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw malformed("end of text");
            }
            final char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            final Map<String, Object> object = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return object;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw malformed("a member name");
                }
                final String name = string();
                skipSpace();
                expect(':');
                object.put(name, value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        private List<Object> array() {
            final List<Object> array = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return array;
            }
            while (true) {
                array.add(value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return array;
                }
            }
        }

        private String string() {
            final StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                if (at >= text.length()) {
                    throw malformed("an unterminated string");
                }
                final char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                final char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'u':
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                        break;
                    case 'n':
                        out.append('\n');
                        break;
                    case 't':
                        out.append('\t');
                        break;
                    case 'r':
                        out.append('\r');
                        break;
                    case 'b':
                        out.append('\b');
                        break;
                    case 'f':
                        out.append('\f');
                        break;
                    default:
                        out.append(escaped);
                }
            }
        }

        private Object literal(final String word, final Object value) {
            if (!text.startsWith(word, at)) {
                throw malformed(word);
            }
            at += word.length();
            return value;
        }

        private BigDecimal number() {
            final int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            try {
                return new BigDecimal(text.substring(start, at));
            } catch (final NumberFormatException e) {
                throw malformed("a value");
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void expect(final char c) {
            if (peek() != c) {
                throw malformed("'" + c + "'");
            }
            at++;
        }

        void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        IllegalArgumentException malformed(final String expected) {
            return new IllegalArgumentException("malformed JSON at " + at + ": expected " + expected);
        }
    }
}
