package com.vivesphere.mq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throw-away certificate authority, a server certificate it signed for {@code localhost} (DNS name only),
 * and a second, unrelated authority; made with {@code openssl} and {@code keytool} for one test run. Used for the
 * broker (fault suite) and the database (DatabaseTlsIT).
 */
public final class Certificates {

    public static final String TRUSTSTORE_PASSWORD = "test-certificates";
    /** The common name of the client certificate, and so the broker user it logs in as with x509 authentication. */
    public static final String CLIENT_NAME = "vivesphere-worker";

    private final Path directory;

    private Certificates(Path directory) {
        this.directory = directory;
    }

    /** Generates everything into a new directory under {@code parent}. */
    public static Certificates generate(Path parent) {
        Path directory = parent.resolve("certificates-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        Certificates certificates = new Certificates(directory);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
            // openssl ca, unlike openssl x509, takes a start date: for a certificate not valid yet.
            Files.createDirectories(directory.resolve("ca-db"));
            Files.writeString(directory.resolve("ca-db/index.txt"), "");
            Files.writeString(directory.resolve("ca-db/serial"), "01\n");
            Files.writeString(directory.resolve("ca.cnf"), """
                    [ca]
                    default_ca = test
                    [test]
                    database = ca-db/index.txt
                    new_certs_dir = ca-db
                    serial = ca-db/serial
                    default_md = sha256
                    policy = any
                    [any]
                    commonName = supplied
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certificates.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=vivesphere test CA", "-keyout", "ca.key", "-out", "ca.pem");
        certificates.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=some other CA", "-keyout", "other-ca.key", "-out", "other-ca.pem");
        certificates.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout",
                "server.key", "-out", "server.csr");
        certificates.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
        // The same key and name, but the validity period ended a day before it began: expired from the start.
        certificates.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "-1", "-extfile", "server.ext", "-out", "expired-server.pem");
        certificates.run("openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
                "server.csr", "-extfile", "server.ext", "-startdate", "20991201000000Z", "-enddate", "20991231000000Z",
                "-notext", "-out", "future-server.pem");
        // A worker's client certificate for mutual TLS; its common name is the broker user of x509 authentication.
        certificates.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + CLIENT_NAME, "-keyout",
                "client.key", "-out", "client.csr");
        certificates.run("openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "client.pem");
        certificates.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12",
                "-storetype", "PKCS12", "-storepass", TRUSTSTORE_PASSWORD);
        certificates.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "other-ca.pem", "-keystore",
                "other-trust.p12", "-storetype", "PKCS12", "-storepass", TRUSTSTORE_PASSWORD);
        return certificates;
    }

    /** The CA that signed the server certificate, PEM. */
    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    /** An authority that signed nothing here, PEM. */
    public Path otherCaCertificate() {
        return directory.resolve("other-ca.pem");
    }

    /** The server certificate, for {@code localhost} only, PEM; its key is {@link #serverKey()}. */
    public Path serverCertificate() {
        return directory.resolve("server.pem");
    }

    /** A server certificate like {@link #serverCertificate()}, same key, but expired. */
    public Path expiredServerCertificate() {
        return directory.resolve("expired-server.pem");
    }

    /** A server certificate like {@link #serverCertificate()}, same key, valid only from 2099. */
    public Path notYetValidServerCertificate() {
        return directory.resolve("future-server.pem");
    }

    /** The client certificate for mutual TLS, signed by the CA, named {@link #CLIENT_NAME}, PEM; its key is {@link #clientKey()}. */
    public Path clientCertificate() {
        return directory.resolve("client.pem");
    }

    /** The client certificate's key, unencrypted PKCS#8 PEM. */
    public Path clientKey() {
        return directory.resolve("client.key");
    }

    public Path serverKey() {
        return directory.resolve("server.key");
    }

    /** rabbitmq.conf lines for a TLS listener on {@code port} with the server certificate. */
    public String brokerConfig(int port) {
        return brokerConfigPresenting(port, serverCertificate());
    }

    /** rabbitmq.conf lines for a TLS listener on {@code port} presenting {@code certificate} (with the server's key). */
    public String brokerConfigPresenting(int port, Path certificate) {
        return """
                listeners.ssl.default = 127.0.0.1:%d
                ssl_options.cacertfile = %s
                ssl_options.certfile = %s
                ssl_options.keyfile = %s
                ssl_options.verify = verify_none
                ssl_options.fail_if_no_peer_cert = false
                """.formatted(port, directory.resolve("ca.pem"), certificate, directory.resolve("server.key"));
    }

    /**
     * rabbitmq.conf lines for a TLS listener on {@code port} that requires a client certificate signed by the CA,
     * and offers x509 (EXTERNAL) authentication, the certificate's common name being the user.
     */
    public String brokerConfigRequiringClientCertificates(int port) {
        return brokerConfig(port).replace("ssl_options.verify = verify_none", "ssl_options.verify = verify_peer")
                .replace("ssl_options.fail_if_no_peer_cert = false", "ssl_options.fail_if_no_peer_cert = true")
                + "auth_mechanisms.1 = EXTERNAL\nauth_mechanisms.2 = PLAIN\nssl_cert_login_from = common_name\n";
    }

    /**
     * rabbitmq.conf lines for the management API over HTTPS on {@code tlsPort}, requiring a client certificate signed
     * by the CA, and over HTTP on {@code plainPort} (set, so that the default 15672 of the machine's broker is left alone).
     */
    public String managementConfigRequiringClientCertificates(int tlsPort, int plainPort) {
        return """
                management.tcp.ip = 127.0.0.1
                management.tcp.port = %d
                management.ssl.ip = 127.0.0.1
                management.ssl.port = %d
                management.ssl.cacertfile = %s
                management.ssl.certfile = %s
                management.ssl.keyfile = %s
                management.ssl.verify = verify_peer
                management.ssl.fail_if_no_peer_cert = true
                """.formatted(plainPort, tlsPort, caCertificate(), serverCertificate(), serverKey());
    }

    /**
     * The environment of a worker whose broker TLS comes from the TLS configuration {@code rabbitmq}: trust in the CA,
     * and with {@code clientCertificate} the worker's certificate and key for mutual TLS.
     */
    public Map<String, String> tlsConfiguration(boolean clientCertificate) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIVESPHERE_RABBITMQ_TLS_CONFIGURATION_NAME", "rabbitmq");
        env.put("QUARKUS_TLS_RABBITMQ_TRUST_STORE_PEM_CERTS", directory.resolve("ca.pem").toString());
        if (clientCertificate) {
            env.put("QUARKUS_TLS_RABBITMQ_KEY_STORE_PEM_WORKER_CERT", clientCertificate().toString());
            env.put("QUARKUS_TLS_RABBITMQ_KEY_STORE_PEM_WORKER_KEY", clientKey().toString());
        }
        return env;
    }

    /**
     * Issues another client certificate signed by the CA, with a key of its own: {@code <name>.pem} and {@code <name>.key}
     * ({@link #certificate}, {@link #key}). {@code days} may be negative: expired from the start.
     */
    public void issueClientCertificate(String name, String commonName, int days) {
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout", name + ".key", "-out",
                name + ".csr");
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days",
                String.valueOf(days), "-out", name + ".pem");
    }

    /** The certificate {@link #issueClientCertificate} issued as {@code name}, PEM. */
    public Path certificate(String name) {
        return directory.resolve(name + ".pem");
    }

    /** The key of the certificate {@link #issueClientCertificate} issued as {@code name}, PEM. */
    public Path key(String name) {
        return directory.resolve(name + ".key");
    }

    /** JVM options making {@code trustStore} the JVM's trust store (what {@code RABBITMQ_SSL=true} uses). */
    public List<String> jvmTrusting(String trustStore) {
        List<String> options = new ArrayList<>(ProductionJvm.OPTIONS);
        options.add("-Djavax.net.ssl.trustStore=" + directory.resolve(trustStore));
        options.add("-Djavax.net.ssl.trustStorePassword=" + TRUSTSTORE_PASSWORD);
        options.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        return options;
    }

    /** Trusts the authority that signed the broker's certificate. */
    public List<String> jvmTrustingTheCa() {
        return jvmTrusting("trust.p12");
    }

    /** Trusts only an unrelated authority. */
    public List<String> jvmTrustingAnotherCa() {
        return jvmTrusting("other-trust.p12");
    }

    private void run(String... command) {
        ExternalCommand.run(new ProcessBuilder(command).directory(directory.toFile()), Duration.ofSeconds(60));
    }
}
