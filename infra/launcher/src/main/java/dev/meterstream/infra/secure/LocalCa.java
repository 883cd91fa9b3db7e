package dev.meterstream.infra.secure;

import dev.meterstream.infra.process.Jdk;
import dev.meterstream.support.tls.TrustedCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority of one machine's stack, made at start with the JDK's own {@code keytool} (no library to
 * trust beyond the JDK): its key and certificate in {@code ca.p12}, a truststore holding only its certificate, and
 * for each part that serves TLS (a broker, Cassandra, an API) a PKCS12 keystore with a key signed by it for
 * {@code 127.0.0.1} and {@code localhost}, valid as server and as client. Everything lives in one directory readable
 * by its owner only, with one random store password kept beside it ({@code store.password}, 0600, one of its
 * {@link Secrets}).
 * A CA already made in the directory is used again, so restarts keep their certificates.
 */
public final class LocalCa {
    private static final String CA = "ca";
    /** The name of the stores' password among the directory's {@link Secrets}. */
    private static final String STORE = "store";
    private static final String VALIDITY_DAYS = "825";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final Secrets secrets;
    private final String password;
    private final Path keytool;

    private LocalCa(final Path dir, final Secrets secrets, final Path keytool) {
        this.dir = dir;
        this.secrets = secrets;
        this.password = secrets.password(STORE);
        this.keytool = keytool;
    }

    /** The CA in {@code dir}, made if it is not there yet. */
    public static LocalCa in(final Path dir) {
        // Secrets makes the directory owner-only.
        final LocalCa ca = new LocalCa(dir, Secrets.in(dir),
                Jdk.current().home().resolve("bin/keytool"));
        if (!Files.exists(ca.truststore())) {
            ca.make();
        }
        return ca;
    }

    /** The password of every store in the directory. */
    public String password() {
        return password;
    }

    /**
     * A PKCS12 store holding only the CA's certificate: what every client and server trusts. It needs no password
     * (none protects it: it holds nothing secret); loading it with one works too.
     */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The file holding {@link #password()} (owner-only), for servers that read their keystore's password from one. */
    public Path passwordFile() {
        return secrets.file(STORE);
    }

    /** A TLS context that trusts this CA and nothing else: for clients of a stack's HTTPS APIs. */
    public SSLContext clientContext() {
        return TrustedCa.context(truststore(), null, "the local CA's truststore");
    }

    /** The CA's certificate, PEM (for clients that read PEM, such as curl). */
    public Path certificate() {
        return dir.resolve("ca.pem");
    }

    /** The keystore of {@code name} (its key under that alias, with the chain to the CA), made if missing. */
    public Path keystore(final String name) {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a keystore name is lower-case letters, digits and '-', was '" + name
                    + "'");
        }
        final Path store = dir.resolve(name + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        final Path csr = dir.resolve(name + ".csr");
        final Path signed = dir.resolve(name + ".crt");
        final Path making = dir.resolve(name + ".p12.new");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name + ",O=meterstream", "-validity", VALIDITY_DAYS, "-keystore", making.toString(),
                "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", making.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", CA, "-keystore", dir.resolve("ca.p12").toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", VALIDITY_DAYS,
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-ext", "KeyUsage=digitalSignature,keyAgreement",
                "-ext", "ExtendedKeyUsage=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", CA, "-file", certificate().toString(), "-keystore",
                making.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", signed.toString(), "-keystore",
                making.toString());
        try {
            Files.delete(csr);
            Files.delete(signed);
            Files.move(making, store);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return store;
    }

    private void make() {
        final Path caStore = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", CA, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=meterstream local CA,O=meterstream", "-validity", "3650", "-ext", "bc:c=ca:true",
                "-ext", "KeyUsage=keyCertSign,cRLSign", "-keystore", caStore.toString(), "-storetype", "PKCS12");
        keytool("-exportcert", "-alias", CA, "-rfc", "-keystore", caStore.toString(), "-file",
                certificate().toString());
        final Path making = dir.resolve("truststore.p12.new");
        // Neither encrypted nor MACed: it holds one public certificate, so clients load it without a password
        // (a password on their command lines would be the keystores' password too).
        keytool("-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE", "-J-Dkeystore.pkcs12.macAlgorithm=NONE",
                "-importcert", "-noprompt", "-alias", CA, "-file", certificate().toString(), "-keystore",
                making.toString(), "-storetype", "PKCS12");
        try {
            Files.move(making, truststore());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs keytool with the store password on its standard input's place (-storepass:env), never on its command line. */
    private void keytool(final String... args) {
        final List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass:env", "MS_STORE_PASSWORD"));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass:env", "MS_STORE_PASSWORD"));
        }
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MS_STORE_PASSWORD", password);
        try {
            final Process process = builder.start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output.trim());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot run " + keytool, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
