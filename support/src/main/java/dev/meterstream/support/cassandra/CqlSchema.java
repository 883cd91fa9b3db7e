package dev.meterstream.support.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cassandra schema as versioned CQL files ({@code dev/meterstream/schema/V<nnn>__<name>.cql}, listed in order
 * in {@code migrations.txt}), applied idempotently: each migration runs once per keyspace and is recorded with a
 * checksum, and its statements are written to be harmless if run twice ({@code IF NOT EXISTS}), so two processes
 * applying the schema at once do no damage.
 */
public final class CqlSchema {
    private static final String ROOT = "/dev/meterstream/schema/";
    private static final Pattern FILE_NAME = Pattern.compile("V(\\d{3,})__([a-z0-9_]+)\\.cql");
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private CqlSchema() {
    }

    /** One versioned CQL file. */
    public record Migration(int version, String name, String cql, String checksum) {
    }

    /**
     * Where the schema goes.
     *
     * @param name        keyspace name
     * @param replication the CQL replication map, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 1}}
     */
    public record Keyspace(String name, String replication) {
        public Keyspace {
            if (!KEYSPACE_NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
                throw new IllegalArgumentException("keyspace name must match " + KEYSPACE_NAME + ", was '" + name + "'");
            }
            if (!Objects.requireNonNull(replication, "replication").trim().startsWith("{")) {
                throw new IllegalArgumentException("replication must be a CQL map like {'class': 'SimpleStrategy', "
                        + "'replication_factor': 1}, was '" + replication + "'");
            }
        }

        /** One local node: SimpleStrategy, one replica. */
        public static Keyspace local(final String name) {
            return new Keyspace(name, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        }
    }

    /** The migrations in the order they apply. */
    public static List<Migration> migrations() {
        final List<Migration> result = new ArrayList<>();
        for (final String line : read("migrations.txt").split("\n")) {
            final String file = line.trim();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            final Matcher matcher = FILE_NAME.matcher(file);
            if (!matcher.matches()) {
                throw new IllegalStateException("migration file name must look like V001__name.cql: " + file);
            }
            final int version = Integer.parseInt(matcher.group(1));
            if (!result.isEmpty() && version != result.getLast().version() + 1) {
                throw new IllegalStateException("migration versions must follow each other: " + file + " after V"
                        + result.getLast().version());
            }
            final String cql = read(file);
            result.add(new Migration(version, matcher.group(2), cql, sha256(cql)));
        }
        return result;
    }

    /**
     * Applies the migrations the keyspace has not had yet and returns how many ran. Refuses to go on if an applied
     * migration's file has changed since, since the keyspace would no longer match the files.
     */
    public static int apply(final CqlSession session, final Keyspace keyspace) {
        int applied = 0;
        for (final Migration migration : migrations()) {
            final String recorded = recordedChecksum(session, keyspace, migration.version());
            if (recorded != null) {
                if (!recorded.equals(migration.checksum())) {
                    throw new IllegalStateException("schema migration V" + migration.version() + " (" + migration.name()
                            + ") changed after it was applied to keyspace " + keyspace.name()
                            + "; add a new migration instead of editing a released one");
                }
                continue;
            }
            for (final String statement : statements(migration.cql(), keyspace)) {
                session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
            }
            session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace.name()
                            + ".schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    migration.version(), migration.name(), migration.checksum(), Instant.now()).setTimeout(DDL_TIMEOUT));
            applied++;
        }
        session.checkSchemaAgreement();
        return applied;
    }

    /** The versions recorded as applied in the keyspace, in order; empty if the keyspace does not exist. */
    public static List<Integer> appliedVersions(final CqlSession session, final Keyspace keyspace) {
        if (session.getMetadata().getKeyspace(keyspace.name()).isEmpty()) {
            return List.of();
        }
        return session.execute("SELECT version FROM " + keyspace.name() + ".schema_migrations").all().stream()
                .map(row -> row.getInt("version")).sorted().toList();
    }

    private static String recordedChecksum(final CqlSession session, final Keyspace keyspace, final int version) {
        session.refreshSchema();
        if (session.getMetadata().getKeyspace(keyspace.name())
                .flatMap(ks -> ks.getTable("schema_migrations")).isEmpty()) {
            return null;
        }
        final Row row = session.execute(SimpleStatement.newInstance("SELECT checksum FROM " + keyspace.name()
                + ".schema_migrations WHERE version = ?", version)).one();
        return row == null ? null : row.getString("checksum");
    }

    /** Splits a file into statements at semicolons that end a line, dropping comment lines, filling placeholders. */
    static List<String> statements(final String cql, final Keyspace keyspace) {
        final List<String> result = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        for (final String line : cql.split("\n")) {
            final String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                result.add(fill(current.toString().trim(), keyspace));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("CQL does not end with ';': " + current.toString().trim());
        }
        return result;
    }

    private static String fill(final String statement, final Keyspace keyspace) {
        final String text = statement.substring(0, statement.length() - 1)
                .replace("${keyspace}", keyspace.name())
                .replace("${replication}", keyspace.replication());
        if (text.contains("${")) {
            throw new IllegalStateException("unknown placeholder in: " + text);
        }
        return text;
    }

    private static String read(final String name) {
        try (InputStream in = CqlSchema.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
