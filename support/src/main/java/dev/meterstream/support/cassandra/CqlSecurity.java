package dev.meterstream.support.cassandra;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import dev.meterstream.support.tls.TrustedCa;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a Cassandra session proves who it is and checks whom it talks to, both optional: a role and its password
 * ({@code cassandra.username}, {@code cassandra.password-file}: the password is read from a file, so it is in no
 * configuration file, command line or process listing), and TLS to the nodes with a truststore
 * ({@code cassandra.ssl.truststore}, PKCS12, its password, if it has one, in
 * {@code cassandra.ssl.truststore-password-file}), with
 * the node's certificate checked against the address it was reached at.
 *
 * @param username               the role; empty: no authentication
 * @param passwordFile           the file holding its password
 * @param truststore             PKCS12 truststore; empty: plaintext
 * @param truststorePasswordFile the file holding the truststore's password; empty: it has none
 */
public record CqlSecurity(Optional<String> username, Optional<Path> passwordFile, Optional<Path> truststore,
                          Optional<Path> truststorePasswordFile) {
    /** Plaintext, no authentication: ./dev up's loopback node. */
    public static final CqlSecurity NONE = new CqlSecurity(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public CqlSecurity {
        if (username.isPresent() != passwordFile.isPresent()) {
            throw new IllegalArgumentException("cassandra.username and cassandra.password-file go together, were "
                    + username.orElse("(none)") + " and " + passwordFile.map(Path::toString).orElse("(none)"));
        }
        if (truststorePasswordFile.isPresent() && truststore.isEmpty()) {
            throw new IllegalArgumentException("cassandra.ssl.truststore-password-file "
                    + truststorePasswordFile.get() + " is set without cassandra.ssl.truststore");
        }
    }

    /** From the {@code cassandra} section of a service's configuration; every key is optional. */
    public static CqlSecurity from(final Config cassandra) {
        return new CqlSecurity(cassandra.get("username").asString().asOptional(),
                cassandra.get("password-file").asString().asOptional().map(Path::of),
                cassandra.get("ssl.truststore").asString().asOptional().map(Path::of),
                cassandra.get("ssl.truststore-password-file").asString().asOptional().map(Path::of));
    }

    /** Sets the credentials and the TLS engine on {@code builder}, where configured. */
    void apply(final CqlSessionBuilder builder) {
        if (username.isPresent()) {
            builder.withAuthCredentials(username.get(), read(passwordFile.get(), "cassandra.password-file"));
        }
        if (truststore.isPresent()) {
            builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(sslContext(), null, true));
        }
    }

    private SSLContext sslContext() {
        // A truststore holds only certificates; one made without a password is loaded without one.
        final char[] password = truststorePasswordFile
                .map(file -> read(file, "cassandra.ssl.truststore-password-file").toCharArray()).orElse(null);
        return TrustedCa.context(truststore.get(), password, "cassandra.ssl.truststore");
    }

    private static String read(final Path file, final String key) {
        try {
            return Files.readString(file).trim();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + key + " " + file, e);
        }
    }
}
