package dev.meterstream.infra.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Makes a secure node's {@value CassandraSecurity#ADMIN_ROLE} role on its first start and locks the built-in
 * {@code cassandra} role on every start. The built-in role appears a moment after the port opens, so the first
 * start waits for it; later starts log in as the admin at once.
 */
public final class CassandraAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CassandraAdmin() {
    }

    static void ensure(final CassandraNode node, final CassandraSecurity security) {
        final Path defaultPassword = defaultRolePasswordFile(node.settings().dataDir());
        Await.until("Cassandra's " + CassandraSecurity.ADMIN_ROLE + " role", TIMEOUT, () -> {
            try (CqlSession admin = node.openSession(security.admin())) {
                // Every start: the default role's password is public knowledge.
                admin.execute("ALTER ROLE " + CassandraSecurity.DEFAULT_ROLE
                        + " WITH SUPERUSER = false AND LOGIN = false");
                return true;
            } catch (final AllNodesFailedException e) {
                if (!refusedLogin(e)) {
                    return false;
                }
            }
            try (CqlSession builtIn = node.openSession(security.as(Optional.of(CassandraSecurity.DEFAULT_ROLE),
                    Optional.of(defaultPassword)))) {
                builtIn.execute("CREATE ROLE IF NOT EXISTS " + CassandraSecurity.ADMIN_ROLE + " WITH PASSWORD = '"
                        + Files.readString(security.adminPasswordFile()).trim()
                        + "' AND SUPERUSER = true AND LOGIN = true");
            } catch (final AllNodesFailedException e) {
                // not made yet (or already locked, with an admin whose password is not ours: the wait says so)
            }
            return false;
        });
    }

    /** Whether the node answered and refused the login (rather than not answering yet). */
    public static boolean refusedLogin(final AllNodesFailedException e) {
        return e.getAllErrors().values().stream().flatMap(List::stream)
                .anyMatch(error -> error instanceof AuthenticationException);
    }

    /** The built-in role's well-known password, in a file because sessions read passwords from files. */
    private static Path defaultRolePasswordFile(final Path dataDir) {
        return PrivateFiles.write(dataDir.toAbsolutePath().resolve("conf/default-role.password"),
                CassandraSecurity.DEFAULT_ROLE);
    }
}
