package dev.meterstream.infra.dev;

import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.auth.StoredKey;
import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.support.config.ServiceConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code ./dev keys}: API keys in the keys topic of the stack ./dev up runs (as its admin, from the
 * {@link AdminClientFile} it wrote), or of the cluster at {@code --bootstrap} (plaintext) or described by
 * {@code --command-config} (Kafka's client settings), as an operator with access to Kafka manages them; tenants'
 * admins use {@code /api/keys} on query-api instead.
 * <ul>
 *   <li>{@code create --tenant T --scope ingest|query|admin [--expires P30D|<instant>]}: prints the key, once;</li>
 *   <li>{@code list [--tenant T]}: ids, tenants, scopes, states and times, never keys or digests;</li>
 *   <li>{@code revoke --tenant T <id>}: in effect on every instance within seconds.</li>
 * </ul>
 */
final class DevKeysCommand {
    private static final String USAGE = "usage: ./dev keys create --tenant T --scope ingest|query|admin "
            + "[--expires P30D|2027-01-01T00:00:00Z] | list [--tenant T] | revoke --tenant T <id>  "
            + "[--bootstrap host:port | --command-config client.properties]";

    private DevKeysCommand() {
    }

    /** Runs the command; returns the exit status. */
    static int run(final Path dataDir, final String[] args, final PrintStream out, final PrintStream err) {
        final Path written = dataDir.resolve(AdminClientFile.NAME);
        KafkaConnection kafka = Files.exists(written) ? AdminClientFile.read(written) : KafkaConnection.plain(
                ServiceConfig.shared().get(ServiceConfig.BOOTSTRAP_SERVERS).asString().get());
        String tenant = null;
        Scope scope = null;
        Instant expires = null;
        String id = null;
        try {
            if (args.length < 2) {
                throw new IllegalArgumentException("missing the keys command");
            }
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap" -> kafka = KafkaConnection.plain(value(args, ++i));
                    case "--command-config" -> kafka = AdminClientFile.read(Path.of(value(args, ++i)));
                    case "--tenant" -> tenant = tenant(value(args, ++i));
                    case "--scope" -> {
                        final String text = value(args, ++i);
                        scope = Scope.parse(text).orElseThrow(() -> new IllegalArgumentException(
                                "--scope must be ingest, query or admin, was '" + text + "'"));
                    }
                    case "--expires" -> expires = expiry(value(args, ++i));
                    default -> {
                        if (args[i].startsWith("--") || id != null) {
                            throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                        }
                        id = args[i];
                    }
                }
            }
            return switch (args[1]) {
                case "create" -> create(kafka, required("--tenant", tenant), required("--scope", scope), expires,
                        out);
                case "list" -> list(kafka, tenant, out);
                case "revoke" -> revoke(kafka, required("--tenant", tenant), required("<id>", id), out, err);
                default -> throw new IllegalArgumentException("unknown keys command '" + args[1] + "'");
            };
        } catch (final IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int create(final KafkaConnection kafka, final String tenant, final Scope scope,
                              final Instant expires, final PrintStream out) {
        try (KeyRing ring = KeyRing.start(kafka, "dev-keys")) {
            final StoredKey.Issued issued = ring.issue(tenant, scope, expires);
            out.println(issued.key());
            out.printf("id %s, tenant %s, scope %s, expires %s: the key is shown only now%n", issued.stored().id(),
                    tenant, scope.json(), expires == null ? "never" : expires);
            return 0;
        }
    }

    private static int list(final KafkaConnection kafka, final String tenant, final PrintStream out) {
        try (KeyRing ring = KeyRing.start(kafka, "dev-keys")) {
            final Instant now = Instant.now();
            final List<StoredKey> keys = tenant == null ? ring.all() : ring.of(tenant);
            out.printf("%-16s  %-20s  %-6s  %-7s  %-24s  %s%n", "id", "tenant", "scope", "state", "created",
                    "expires");
            for (final StoredKey key : keys) {
                out.printf("%-16s  %-20s  %-6s  %-7s  %-24s  %s%n", key.id(), key.tenant(), key.scope().json(),
                        key.state(now), key.createdAt().truncatedTo(ChronoUnit.SECONDS),
                        key.expiresAt() == null ? "never" : key.expiresAt().truncatedTo(ChronoUnit.SECONDS));
            }
            return 0;
        }
    }

    private static int revoke(final KafkaConnection kafka, final String tenant, final String id,
                              final PrintStream out, final PrintStream err) {
        try (KeyRing ring = KeyRing.start(kafka, "dev-keys")) {
            if (ring.revoke(tenant, id).isEmpty()) {
                err.println("tenant " + tenant + " has no key " + id);
                return 1;
            }
            out.println("revoked " + id);
            return 0;
        }
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i - 1]);
        }
        return args[i];
    }

    private static String tenant(final String text) {
        if (!ApiKeys.TENANT.matcher(text).matches()) {
            throw new IllegalArgumentException("--tenant must match " + ApiKeys.TENANT + ", was '" + text + "'");
        }
        return text;
    }

    /** A duration from now (P30D, PT12H) or an instant. */
    private static Instant expiry(final String text) {
        try {
            return text.startsWith("P") ? Clock.systemUTC().instant().plus(Duration.parse(text)) : Instant.parse(text);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("--expires must be a duration such as P30D or an instant such as "
                    + "2027-01-01T00:00:00Z, was '" + text + "'");
        }
    }

    private static <T> T required(final String name, final T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
