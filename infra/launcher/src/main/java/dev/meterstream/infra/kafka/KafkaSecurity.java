package dev.meterstream.infra.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a secure local cluster's nodes protect every listener. Clients and brokers meet on a {@code SASL_SSL} listener
 * (TLS, then SCRAM-SHA-512); the KRaft quorum runs on a {@code CONTROLLER} listener with mutual TLS, so only a
 * holder of a node's key may join it. The brokers' own SCRAM user ({@value #BROKER_USER}) and the operators'
 * ({@value #ADMIN_USER}) are written into storage when it is formatted, because a broker must authenticate to its
 * peers before it can read any user from the metadata log; every other user is made afterwards through the Admin
 * API. {@code StandardAuthorizer} refuses whatever no ACL allows; only the nodes (their certificate's common name,
 * or the broker user) and the admin are super users.
 *
 * @param keystore          the nodes' PKCS12 keystore (key and chain; its common name is {@value #BROKER_USER})
 * @param keystorePassword  its password, written only to the nodes' owner-only server.properties
 * @param truststore        a PKCS12 truststore holding the CA's certificate (no password: it holds nothing secret)
 * @param brokerPassword    the brokers' SCRAM password
 * @param adminPassword     the admin's SCRAM password
 */
public record KafkaSecurity(Path keystore, String keystorePassword, Path truststore, String brokerPassword,
                            String adminPassword) {
    /** The brokers' user: the common name of their certificate and their SCRAM name between each other. */
    public static final String BROKER_USER = "kafka";
    /** The operators' user: makes users, ACLs and the topics of a cluster the services may not create. */
    public static final String ADMIN_USER = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String CLIENT_LISTENER = "SASL_SSL";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    public KafkaSecurity {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(truststore, "truststore");
        for (final String password : List.of(keystorePassword, brokerPassword, adminPassword)) {
            if (!password.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("a password here is letters, digits, '-' and '_' (it is written "
                        + "into JAAS text and a format argument unquoted)");
            }
        }
    }

    /** The listener clients use, for {@code listeners} and {@code advertised.listeners}. */
    String clientListener() {
        return CLIENT_LISTENER;
    }

    /** A node's server.properties entries for security (listeners are written by the cluster). */
    Map<String, String> serverProperties() {
        final Map<String, String> p = new LinkedHashMap<>();
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL,CONTROLLER:SSL");
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(BROKER_USER, brokerPassword));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", keystorePassword);
        p.put("ssl.key.password", keystorePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        // The quorum: nodes prove themselves to each other with their certificates, nothing else gets in.
        p.put("listener.name.controller.ssl.client.auth", "required");
        // CN=kafka,O=meterstream is the principal User:kafka, the same as the brokers' SCRAM user.
        p.put("ssl.principal.mapping.rules", "RULE:^CN=([a-z0-9-]+),O=meterstream$/$1/,DEFAULT");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER + ";User:" + ADMIN_USER);
        return p;
    }

    /** The storage tool's arguments that add the broker and admin users when formatting. */
    List<String> formatArguments() {
        return List.of("--add-scram", MECHANISM + "=[name=" + BROKER_USER + ",password=" + brokerPassword + "]",
                "--add-scram", MECHANISM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]");
    }

    /** Client settings that authenticate as the admin (for the launcher's own clients, in process). */
    public Map<String, String> adminClient() {
        return clientAs(ADMIN_USER, adminPassword);
    }

    /** Client settings that log in as {@code user} with {@code password}, in process (never on a command line). */
    public Map<String, String> clientAs(final String user, final String password) {
        final Map<String, String> client = new LinkedHashMap<>(clientWithoutCredentials());
        client.put("sasl.jaas.config", jaas(user, password));
        return client;
    }

    /**
     * Client settings of a service, without its credentials: those are in the JAAS file its JVM is given
     * ({@link #clientJaas}), so that no password is ever on a command line.
     */
    public Map<String, String> clientWithoutCredentials() {
        final Map<String, String> client = new LinkedHashMap<>();
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", MECHANISM);
        client.put("ssl.truststore.type", "PKCS12");
        client.put("ssl.truststore.location", truststore.toString());
        return client;
    }

    /** A JAAS file's text whose {@code KafkaClient} section logs a JVM's Kafka clients in as {@code user}. */
    public static String clientJaas(final String user, final String password) {
        return "KafkaClient {\n  " + SCRAM_MODULE + " required\n  username=\"" + user + "\"\n  password=\""
                + password + "\";\n};\n";
    }

    /** The {@code sasl.jaas.config} value that logs in as {@code user}. */
    private static String jaas(final String user, final String password) {
        return SCRAM_MODULE + " required username=\"" + user + "\" password=\"" + password + "\";";
    }
}
