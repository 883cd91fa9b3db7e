package dev.meterstream.infra.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The overview board (Grafana's dashboard JSON; no Grafana runs here, so it is checked by its structure): it charts
 * every golden signal the rules record and nothing they do not, each panel on the board's Prometheus data source,
 * and no two panels on the same cells.
 */
class OverviewBoardTest {
    private static final Path BOARD = PrometheusRulesTest.ROOT
            .resolve("deploy/grafana/dashboards/meterstream-overview.json");
    private static final Pattern RECORDED = Pattern.compile("meterstream:[a-z0-9_]+:?[a-z0-9_]*");

    @Test
    void shouldChartEveryRecordedSignalAndOnlyThose() throws Exception {
        final Set<String> recorded = new TreeSet<>();
        final Matcher record = Pattern.compile("(?m)^\\s*- record: (\\S+)$")
                .matcher(Files.readString(PrometheusRulesTest.RULES.resolve("meterstream.yml")));
        while (record.find()) {
            recorded.add(record.group(1));
        }
        assertFalse(recorded.isEmpty());
        final Set<String> charted = new TreeSet<>();
        for (final JsonNode panel : board().get("panels")) {
            for (final JsonNode target : panel.get("targets")) {
                final Matcher name = RECORDED.matcher(target.get("expr").asText());
                while (name.find()) {
                    charted.add(name.group());
                }
            }
        }
        assertEquals(recorded, charted, "the board charts the rules' recorded signals, all and only those");
    }

    @Test
    void shouldBeAWellFormedBoardOnItsPrometheusDataSource() throws Exception {
        final JsonNode board = board();
        assertEquals("meterstream-overview", board.get("uid").asText());
        assertTrue(board.get("schemaVersion").asInt() >= 36, "a board Grafana 9+ loads without migrating it");
        final JsonNode variable = board.get("templating").get("list").get(0);
        assertEquals("datasource", variable.get("type").asText());
        assertEquals("prometheus", variable.get("query").asText());
        final Set<Integer> ids = new HashSet<>();
        final List<int[]> cells = new ArrayList<>();
        for (final JsonNode panel : board.get("panels")) {
            final String title = panel.get("title").asText();
            assertTrue(ids.add(panel.get("id").asInt()), "panel ids are unique: " + title);
            assertEquals("${datasource}", panel.get("datasource").get("uid").asText(), title);
            assertFalse(panel.get("description").asText().isBlank(), "says what it shows: " + title);
            final Set<String> refs = new HashSet<>();
            for (final JsonNode target : panel.get("targets")) {
                assertTrue(refs.add(target.get("refId").asText()), "refIds are unique in " + title);
                assertFalse(target.get("expr").asText().isBlank(), title);
            }
            final JsonNode at = panel.get("gridPos");
            final int[] cell = {at.get("x").asInt(), at.get("y").asInt(), at.get("w").asInt(), at.get("h").asInt()};
            assertTrue(cell[0] >= 0 && cell[0] + cell[2] <= 24, "within the 24 columns: " + title);
            for (final int[] other : cells) {
                final boolean apart = cell[0] + cell[2] <= other[0] || other[0] + other[2] <= cell[0]
                        || cell[1] + cell[3] <= other[1] || other[1] + other[3] <= cell[1];
                assertTrue(apart, "no two panels on the same cells: " + title);
            }
            cells.add(cell);
        }
    }

    private static JsonNode board() throws Exception {
        return new ObjectMapper().readTree(BOARD.toFile());
    }
}
