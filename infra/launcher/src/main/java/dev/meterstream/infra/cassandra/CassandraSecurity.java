package dev.meterstream.infra.cassandra;

import dev.meterstream.support.cassandra.CqlSecurity;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a secure local node protects its CQL port: TLS only (no plaintext beside it), {@code PasswordAuthenticator}
 * and {@code CassandraAuthorizer}, so every client logs in as a role and may do only what that role was granted.
 * The launcher's role is {@value #ADMIN_ROLE}, a superuser it makes on the first start with the built-in
 * {@code cassandra} role, which it then locks (no login, no superuser): that default password is known to
 * everyone.
 *
 * @param keystore          the node's PKCS12 keystore (its key and the chain to the local CA)
 * @param keystorePassword  its password, written only to the node's owner-only cassandra.yaml
 * @param truststore        the CA's certificate, PKCS12 without a password (for the launcher's sessions)
 * @param adminPasswordFile the file holding {@value #ADMIN_ROLE}'s password
 */
public record CassandraSecurity(Path keystore, String keystorePassword, Path truststore, Path adminPasswordFile) {
    public static final String ADMIN_ROLE = "admin";
    /** The role every node is made with, with this password: locked once {@value #ADMIN_ROLE} exists. */
    static final String DEFAULT_ROLE = "cassandra";

    public CassandraSecurity {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(adminPasswordFile, "adminPasswordFile");
        if (!keystorePassword.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("the keystore password is written into cassandra.yaml unquoted: "
                    + "letters, digits, '-' and '_' only");
        }
    }

    /** The cassandra.yaml entries for authentication, authorization and client TLS. */
    String yaml() {
        return String.join("\n",
                "authenticator: PasswordAuthenticator",
                "authorizer: CassandraAuthorizer",
                "role_manager: CassandraRoleManager",
                "client_encryption_options:",
                "  enabled: true",
                "  optional: false",
                "  keystore: " + keystore,
                "  keystore_password: " + keystorePassword,
                // The node's own store holds the CA's certificate too; it only matters for client certificates.
                "  truststore: " + keystore,
                "  truststore_password: " + keystorePassword,
                "  store_type: PKCS12",
                "  require_client_auth: false");
    }

    /** The yaml of a node without security: anyone on the loopback address may do anything. */
    static String openYaml() {
        return "authenticator: AllowAllAuthenticator\nauthorizer: AllowAllAuthorizer";
    }

    /** How the launcher's sessions log in: as {@value #ADMIN_ROLE}, over TLS. */
    CqlSecurity admin() {
        return new CqlSecurity(Optional.of(ADMIN_ROLE), Optional.of(adminPasswordFile), Optional.of(truststore),
                Optional.empty());
    }

    /** A session over TLS as {@code role} with the password in {@code passwordFile} (or none: empty). */
    public CqlSecurity as(final Optional<String> role, final Optional<Path> passwordFile) {
        return new CqlSecurity(role, passwordFile, Optional.of(truststore), Optional.empty());
    }
}
