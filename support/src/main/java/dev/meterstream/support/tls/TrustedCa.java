package dev.meterstream.support.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS client context that trusts the certificates of one PKCS12 truststore and nothing else. */
public final class TrustedCa {
    private TrustedCa() {
    }

    /**
     * @param truststore PKCS12 truststore
     * @param password   its password; null for a truststore made without one (it holds only certificates)
     * @param what       how to name it in an error (a configuration key, say)
     */
    public static SSLContext context(final Path truststore, final char[] password, final String what) {
        try (InputStream in = Files.newInputStream(truststore)) {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + truststore, e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + truststore + " is not a PKCS12 truststore its password "
                    + "opens: " + e.getMessage(), e);
        }
    }
}
