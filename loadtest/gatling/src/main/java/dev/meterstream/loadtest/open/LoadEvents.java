package dev.meterstream.loadtest.open;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What event {@code n} of a load run carries besides its id, subject, meter and time: a function of {@code n}
 * alone, so that the run's exactness check can work out from the ids it finds what every view must hold.
 */
public final class LoadEvents {
    /** The slug suffixes of the meters defined per event type by runs with {@code --define-meters}. */
    public static final String TOKENS = "tokens";
    public static final String USERS = "users";
    public static final String LATEST = "latest";
    /** The meters a run can define per event type, by the suffix of their slugs. */
    public static final List<String> KINDS = List.of(TOKENS, USERS, LATEST);

    private LoadEvents() {
    }

    public static long quantityOf(final long sequence) {
        return sequence % 10 + 1;
    }

    /**
     * The properties of event {@code n} in runs with {@code --properties}: tokens (0-999), a model (one in eleven
     * has none: absent dimensions count too), a region and a user (997 users).
     */
    public static Map<String, String> propertiesOf(final long sequence) {
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put("tokens", Long.toString(sequence % 1000));
        if (sequence % 11 != 0) {
            properties.put("model", "m-" + sequence % 3);
        }
        properties.put("region", "r-" + (sequence / 3) % 4);
        properties.put("user", "u-" + sequence % 997);
        return properties;
    }

    static String propertiesJson(final long sequence) {
        final StringBuilder json = new StringBuilder("{");
        propertiesOf(sequence).forEach((name, value) -> json.append(json.length() == 1 ? "" : ",")
                .append('"').append(name).append("\":\"").append(value).append('"'));
        return json.append('}').toString();
    }

    /**
     * The three meters a run with {@code --define-meters} defines for each event type (slug
     * {@code <type>-<suffix>} to PUT body): a SUM with two dimensions, a UNIQUE_COUNT and a LATEST.
     */
    public static Map<String, String> definitions(final String eventType, final Collection<String> kinds) {
        final Map<String, String> definitions = new LinkedHashMap<>(definitions(eventType));
        definitions.keySet().removeIf(slug -> !kinds.contains(slug.substring(eventType.length() + 1)));
        return definitions;
    }

    /** All of {@link #KINDS}. */
    public static Map<String, String> definitions(final String eventType) {
        final Map<String, String> definitions = new LinkedHashMap<>();
        definitions.put(eventType + "-" + TOKENS, "{\"eventType\":\"" + eventType + "\",\"aggregation\":\"SUM\","
                + "\"valueProperty\":\"$.tokens\",\"groupBy\":{\"model\":\"$.model\",\"region\":\"$.region\"}}");
        definitions.put(eventType + "-" + USERS, "{\"eventType\":\"" + eventType + "\",\"aggregation\":"
                + "\"UNIQUE_COUNT\",\"valueProperty\":\"$.user\"}");
        definitions.put(eventType + "-" + LATEST, "{\"eventType\":\"" + eventType + "\",\"aggregation\":\"LATEST\","
                + "\"valueProperty\":\"$.tokens\"}");
        return definitions;
    }
}
