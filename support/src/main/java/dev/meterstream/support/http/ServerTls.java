package dev.meterstream.support.http;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS on an API's listener, from {@code server.tls-keystore} (PKCS12: the server's key and its chain) and
 * {@code server.tls-password-file} (the store's password, in a file so that it is on no command line); plaintext
 * when neither is set. Keys of our own, not Helidon's {@code server.tls} section, so that the password never has
 * to be written into configuration.
 */
public final class ServerTls {
    public static final String KEYSTORE = "tls-keystore";
    public static final String PASSWORD_FILE = "tls-password-file";

    private ServerTls() {
    }

    /** Turns TLS on for {@code builder} if {@code server} (a service's {@code server.*}) names a keystore. */
    public static void apply(final WebServerConfig.Builder builder, final Config server) {
        final Optional<Path> keystore = server.get(KEYSTORE).asString().asOptional().map(Path::of);
        final Optional<Path> passwordFile = server.get(PASSWORD_FILE).asString().asOptional().map(Path::of);
        if (keystore.isPresent() != passwordFile.isPresent()) {
            throw new IllegalArgumentException("server." + KEYSTORE + " and server." + PASSWORD_FILE
                    + " go together, were " + keystore.map(Path::toString).orElse("(none)") + " and "
                    + passwordFile.map(Path::toString).orElse("(none)"));
        }
        if (keystore.isPresent()) {
            final SSLContext context = sslContext(keystore.get(), passwordFile.get());
            builder.tls(tls -> tls.sslContext(context));
        }
    }

    private static SSLContext sslContext(final Path keystore, final Path passwordFile) {
        try (InputStream in = Files.newInputStream(keystore)) {
            final char[] password = Files.readString(passwordFile).trim().toCharArray();
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read server." + KEYSTORE + " " + keystore + " or its password",
                    e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalArgumentException("server." + KEYSTORE + " " + keystore + " is not a PKCS12 keystore "
                    + "that server." + PASSWORD_FILE + " opens: " + e.getMessage(), e);
        }
    }
}
