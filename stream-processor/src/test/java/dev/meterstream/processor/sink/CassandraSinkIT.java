package dev.meterstream.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import dev.meterstream.schema.Views;
import dev.meterstream.support.cassandra.CqlSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink on a real Cassandra node and real brokers, fed by the real processor: the views equal what is computed
 * directly from the input; the same log written twice gives identical tables; a sink that dies after writing a
 * flush and before committing it, started again, gives identical tables.
 */
@ExtendWith(InfraExtension.class)
class CassandraSinkIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    /** Thrown by the test's hook to end a sink between its writes and its commit. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash between write and commit");
        }
    }

    @Test
    void shouldWriteExactViewsOnceTwiceAndAcrossACrashBetweenWriteAndCommit(
            final KafkaEndpoint kafka, final CassandraEndpoint cassandra, @TempDir final Path stateDir)
            throws Exception {
        try (SinkFixture fixture = new SinkFixture(kafka, stateDir);
             CqlSession session = cassandra.openSession()) {
            final Instant beforeLastSend = Instant.now();
            fixture.send(6_000);
            Await.until("the processor to process every raw record", WAIT, fixture::processed);
            final Map<String, Set<String>> expected = ViewTables.expected(fixture.distinct().values(),
                    fixture.logIds());

            // Once: the whole log into a fresh keyspace, in small flushes, so that a series' ranked rows change from
            // flush to flush and each change must delete the row it replaces (none may be left behind).
            try (CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views_once", "once",
                    500), CassandraSink.BeforeCommit.NOTHING)) {
                Await.until("the sink to write the log and aggregates", WAIT, () -> fixture.written("once"));
                assertTrue(sink.healthy(), sink.status());
                Await.until("the views to be complete through the last send", WAIT,
                        () -> completeThrough(session, "views_once").isAfter(beforeLastSend));
            }
            final Map<String, Set<String>> once = ViewTables.read(session, "views_once");
            assertTables(expected, once);

            // Twice: the same log again, by another group, into the same keyspace.
            try (CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views_once", "twice",
                    50_000), CassandraSink.BeforeCommit.NOTHING)) {
                Await.until("the second sink to write the log and aggregates", WAIT, () -> fixture.written("twice"));
            }
            assertTables(once, ViewTables.read(session, "views_once"));

            // A crash after the third flush's writes, before its commit; then a new sink in the same group. Small
            // flushes, so the crash lands mid-log with two flushes committed before it.
            final AtomicInteger crashedAt = new AtomicInteger();
            try (CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views_crash", "crash",
                    500), flush -> {
                        if (flush == 3) {
                            crashedAt.set(flush);
                            throw new SimulatedCrash();
                        }
                    })) {
                Await.until("the sink to crash", WAIT, sink::stopped);
            }
            assertEquals(3, crashedAt.get());
            final long committedAtCrash = fixture.committed("crash");
            assertTrue(committedAtCrash > 0, "two flushes were committed before the crash");
            try (CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views_crash", "crash",
                    500), CassandraSink.BeforeCommit.NOTHING)) {
                Await.until("the restarted sink to write the rest", WAIT, () -> fixture.written("crash"));
            }
            // The restarted sink does not remember the ranked rows the first one wrote, so it may leave older rows
            // behind in top_subjects_by_rank; readers skip them (RankedRows), so the reader's view must be exact.
            assertTables(ViewTables.readerView(expected),
                    ViewTables.readerView(ViewTables.read(session, "views_crash")));
        }
    }

    /** Views is the one home of the tables' names, keys and columns: it must say what the migrations create. */
    @Test
    void shouldNameEveryViewTableKeyAndColumnAsTheMigrationsCreateThem(final CassandraEndpoint cassandra) {
        try (CqlSession session = cassandra.openSession()) {
            final CqlSchema.Keyspace keyspace = CqlSchema.Keyspace.local("views_schema");
            CqlSchema.apply(session, keyspace);
            session.refreshSchema();
            final KeyspaceMetadata metadata = session.getMetadata().getKeyspace(keyspace.name()).orElseThrow();
            final Set<String> viewTables = new TreeSet<>();
            metadata.getTables().keySet().forEach(id -> viewTables.add(id.asInternal()));
            viewTables.remove("schema_migrations");
            assertEquals(viewTables, new TreeSet<>(Views.ALL.stream().map(Views.Table::name).toList()));
            for (final Views.Table table : Views.ALL) {
                final TableMetadata actual = metadata.getTable(table.name()).orElseThrow();
                assertEquals(table.partitionKey(), names(actual.getPartitionKey()), table + " partition key");
                assertEquals(table.clustering(), names(actual.getClusteringColumns().keySet()),
                        table + " clustering columns");
                assertEquals(new TreeSet<>(table.columns()), new TreeSet<>(names(actual.getColumns().values())),
                        table + " columns");
            }
            final Set<String> indexes = new TreeSet<>();
            metadata.getTables().values().forEach(table -> table.getIndexes().values().forEach(index ->
                    indexes.add(table.getName().asInternal() + "." + index.getName().asInternal() + " on "
                            + index.getTarget())));
            assertEquals(new TreeSet<>(Views.INDEXES.stream().map(index -> index.table().name() + "." + index.name()
                    + " on " + index.column()).toList()), indexes);
        }
    }

    private static List<String> names(final Collection<ColumnMetadata> columns) {
        return columns.stream().map(column -> column.getName().asInternal()).toList();
    }

    static Instant completeThrough(final CqlSession session, final String keyspace) {
        final Row row = session.execute(Views.completeThroughQuery(keyspace)).one();
        return row == null ? Instant.EPOCH : row.getInstant(0);
    }

    static void assertTables(final Map<String, Set<String>> expected, final Map<String, Set<String>> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((table, rows) -> {
            final Set<String> got = actual.get(table);
            final var missing = rows.stream().filter(r -> !got.contains(r)).limit(3).toList();
            final var extra = got.stream().filter(r -> !rows.contains(r)).limit(3).toList();
            assertTrue(missing.isEmpty() && extra.isEmpty(), table + ": " + rows.size() + " rows expected, "
                    + got.size() + " found; missing e.g. " + missing + "; unexpected e.g. " + extra);
        });
    }
}
