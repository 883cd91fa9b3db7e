package dev.meterstream.loadtest.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestLoadTest {
    @Test
    void shouldDropAndCountArrivalsWhileTheMostRequestsAreOpen(@TempDir final Path dir) throws Exception {
        final IngestLoad load = new IngestLoad("run", 1, 10, 2, 1, 0, 0, 2);
        final IngestLoad.Request first = load.next();
        assertNotNull(load.next());
        assertNull(load.next(), "two open: the third arrival is dropped");
        load.completed(first, 202, 5);
        assertNotNull(load.next(), "one answered: room again");

        load.write(dir);
        final Properties totals = new Properties();
        try (var reader = Files.newBufferedReader(dir.resolve("summary.properties"))) {
            totals.load(reader);
        }
        assertEquals("3", totals.getProperty("requests.started"));
        assertEquals("1", totals.getProperty("requests.dropped"));
        assertEquals("1", totals.getProperty("status.202"));
        final List<String> csv = Files.readAllLines(dir.resolve("seconds.csv"));
        assertTrue(csv.getFirst().endsWith(",dropped"), csv.getFirst());
        assertEquals(1, csv.subList(1, csv.size()).stream()
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(',') + 1))).sum());
    }

    @Test
    void shouldGiveASecondsProgressLine() {
        final IngestLoad load = new IngestLoad("run", 1, 10, 2, 1, 0, 0, 1);
        final IngestLoad.Request first = load.next();
        assertNull(load.next(), "dropped");
        load.completed(first, 202, 42);
        final long second = System.currentTimeMillis() / 1000;
        // Arrivals and the answer may straddle a second's edge; together they are one started, one dropped.
        final String line = load.progressLine(second - 1) + "\n" + load.progressLine(second);
        final long[] sums = new long[6];
        for (final String csv : line.split("\n")) {
            final String[] fields = csv.split(",");
            for (int i = 1; i < fields.length; i++) {
                sums[i] += Long.parseLong(fields[i]);
            }
        }
        assertEquals(1, sums[1], line);
        assertEquals(1, sums[2], line);
        assertEquals(1, sums[3], line);
        assertEquals(1, sums[5], line);
        assertEquals(6, IngestLoad.PROGRESS_HEADER.split(",").length);
    }
}
