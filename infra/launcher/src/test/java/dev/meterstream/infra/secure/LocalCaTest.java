package dev.meterstream.infra.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local CA's stores work for TLS on loopback, each way, and nothing unsigned by it is trusted. */
class LocalCaTest {
    @Test
    void shouldMakeStoresThatShakeHandsOnLoopbackWithClientAuthentication(@TempDir final Path dir) throws Exception {
        final LocalCa ca = LocalCa.in(dir.resolve("tls"));
        final Path server = ca.keystore("kafka");
        final Path client = ca.keystore("ingest-api");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls"))));
        assertEquals(server, LocalCa.in(dir.resolve("tls")).keystore("kafka"), "made once, then used again");

        final X509Certificate leaf = (X509Certificate) load(server, ca.password()).getCertificate("kafka");
        assertTrue(leaf.getSubjectAlternativeNames().stream().anyMatch(san -> san.get(1).equals("127.0.0.1")),
                String.valueOf(leaf.getSubjectAlternativeNames()));

        try (SSLServerSocket listener = (SSLServerSocket) context(server, ca).getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            final CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept(); InputStream in = accepted.getInputStream()) {
                    in.read();
                    return accepted.getSession().getPeerPrincipal().getName();
                } catch (final Exception e) {
                    return "failed: " + e;
                }
            });
            try (SSLSocket socket = (SSLSocket) context(client, ca).getSocketFactory().createSocket(
                    "127.0.0.1", listener.getLocalPort()); OutputStream out = socket.getOutputStream()) {
                out.write(1);
                out.flush();
                assertTrue(peer.get(30, TimeUnit.SECONDS).startsWith("CN=ingest-api"), peer.get());
            }
        }

        // A client that trusts another CA refuses the server.
        final LocalCa other = LocalCa.in(dir.resolve("other"));
        try (SSLServerSocket listener = (SSLServerSocket) context(server, ca).getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                } catch (final Exception ignored) {
                    // the client refuses
                }
            });
            try (SSLSocket socket = (SSLSocket) context(other.keystore("x"), other).getSocketFactory()
                    .createSocket("127.0.0.1", listener.getLocalPort())) {
                assertThrows(SSLHandshakeException.class, socket::startHandshake);
            }
        }
    }

    private static SSLContext context(final Path keystore, final LocalCa ca) throws Exception {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore, ca.password()), ca.password().toCharArray());
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        // Loaded without a password: clients are given the truststore and nothing secret.
        trust.init(load(ca.truststore(), null));
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(final Path store, final String password) throws Exception {
        final KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password == null ? null : password.toCharArray());
        }
        return keyStore;
    }
}
