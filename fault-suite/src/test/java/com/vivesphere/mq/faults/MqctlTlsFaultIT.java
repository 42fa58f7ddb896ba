package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.ProjectRoot;

/**
 * Scenario 11, mqctl's part: the packaged mqctl against a broker node whose AMQP and management listeners require a
 * client certificate. With the CA, a client certificate and a password file it reaches both; with another CA or a
 * host its certificate does not name it says why; with x509 it logs in as the certificate's user, no password.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MqctlTlsFaultIT {

    private static final Path MQCTL = ProjectRoot.resolve("mq-cli/target/quarkus-app/quarkus-run.jar");
    private static final String VHOST = "mqctl-tls";
    private static final String OPERATOR = "operator";
    private static final String OPERATOR_PASSWORD = UUID.randomUUID().toString();

    private static Path output;
    private static Certificates certificates;
    private static BrokerNode node;
    private static int tlsPort;
    private static int managementTlsPort;

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeAll
    static void startNode() throws Exception {
        output = Figures.output().resolve("mqctl-tls");
        certificates = Certificates.generate(output);
        tlsPort = LoopbackPort.free();
        managementTlsPort = LoopbackPort.free();
        node = BrokerNode.start("mqctl-tls", certificates.brokerConfigRequiringClientCertificates(tlsPort)
                + certificates.managementConfigRequiringClientCertificates(managementTlsPort, LoopbackPort.free()),
                List.of("rabbitmq_management"), "");
        // One import instead of a rabbitmqctl call (an Erlang VM's start) per user, tag and permission.
        node.ctl("import_definitions", Files.writeString(output.resolve("definitions.json"), definitions()).toString());
    }

    /**
     * The vhost; the operator, with a password and the management tag; the certificate's user, with no password
     * (an empty hash: it can log in by x509 only). guest may not use the vhost, so a login there with no password
     * is the certificate's user's.
     */
    private static String definitions() throws Exception {
        return """
                {"vhosts": [{"name": "%1$s"}],
                 "users": [{"name": "%2$s", "password_hash": "%3$s", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": "management"},
                           {"name": "%4$s", "password_hash": "", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ""}],
                 "permissions": [{"user": "%2$s", "vhost": "%1$s", "configure": ".*", "write": ".*", "read": ".*"},
                                 {"user": "%4$s", "vhost": "%1$s", "configure": ".*", "write": ".*", "read": ".*"}]}
                """.formatted(VHOST, OPERATOR, passwordHash(OPERATOR_PASSWORD), Certificates.CLIENT_NAME);
    }

    /** RabbitMQ's rabbit_password_hashing_sha256: base64 of a 4-byte salt and SHA-256(salt + password). */
    private static String passwordHash(String password) throws Exception {
        byte[] salt = new byte[4];
        new SecureRandom().nextBytes(salt);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(salt);
        byte[] digest = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] salted = new byte[salt.length + digest.length];
        System.arraycopy(salt, 0, salted, 0, salt.length);
        System.arraycopy(digest, 0, salted, salt.length, digest.length);
        return Base64.getEncoder().encodeToString(salted);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void statusWithTheCaAClientCertificateAndAPasswordFileReachesTheBrokerAndItsHttpsManagementApi() throws Exception {
        Path passwordFile = Files.writeString(output.resolve("password"), OPERATOR_PASSWORD + "\n");

        Result status = mqctl("status", "--host", "localhost", "--port", String.valueOf(tlsPort), "--vhost", VHOST,
                "--username", OPERATOR, "--password-file", passwordFile.toString(), "--tls-ca", ca(), "--tls-cert",
                clientCertificate(), "--tls-key", clientKey(), "--management-url", "https://localhost:" + managementTlsPort);

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).as(status.toString()).contains("ok (https://localhost:" + managementTlsPort + ")");
        assertThat(status.out() + status.err()).as("the password is never printed").doesNotContain(OPERATOR_PASSWORD);
        Figures.record("11 mutual TLS", "mqctl status, CA + client certificate + password file",
                "exit 0, AMQP and the HTTPS management API");
    }

    @Test
    void anotherCaIsRefusedSayingTheBrokersCertificateIsNotTrusted() throws Exception {
        Result status = mqctl("status", "--host", "localhost", "--port", String.valueOf(tlsPort), "--vhost", VHOST,
                "--username", OPERATOR, "--password", OPERATOR_PASSWORD, "--tls-ca", certificates.otherCaCertificate().toString(),
                "--tls-cert", clientCertificate(), "--tls-key", clientKey());

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.err()).as(status.toString()).isEqualTo("mqctl: the certificate of RabbitMQ at localhost:" + tlsPort
                + " vhost " + VHOST + " is not trusted: no CA of --tls-ca (RABBITMQ_TLS_CA_FILE; without one, the JVM's "
                + "trust store) signed it\n");
        Figures.record("11 mutual TLS", "mqctl, another CA", "exit 3, the broker's certificate is not trusted");
    }

    @Test
    void aHostTheCertificateDoesNotNameIsRefusedUnlessVerificationIsTurnedOff() throws Exception {
        List<String> byAddress = List.of("topology", "apply", "--queue-type", "classic", "--host", "127.0.0.1", "--port",
                String.valueOf(tlsPort), "--vhost", VHOST, "--username", OPERATOR, "--password", OPERATOR_PASSWORD, "--tls-ca",
                ca(), "--tls-cert", clientCertificate(), "--tls-key", clientKey());

        Result verified = mqctl(byAddress.toArray(String[]::new));
        List<String> unverified = new ArrayList<>(byAddress);
        unverified.add("--no-tls-hostname-verification");
        Result notVerified = mqctl(unverified.toArray(String[]::new));

        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(3);
        assertThat(verified.err()).as(verified.toString()).startsWith("mqctl: the certificate of RabbitMQ at 127.0.0.1:" + tlsPort
                + " vhost " + VHOST + " does not name the host connected to").contains("--no-tls-hostname-verification");
        assertThat(notVerified.exitCode()).as(notVerified.toString()).isZero();
    }

    @Test
    void x509LogsInAsTheCertificatesUserWithoutAPassword() throws Exception {
        List<String> apply = List.of("topology", "apply", "--queue-type", "classic", "--host", "localhost", "--port",
                String.valueOf(tlsPort), "--vhost", VHOST, "--tls-ca", ca(), "--tls-cert", clientCertificate(), "--tls-key",
                clientKey());
        List<String> x509 = new ArrayList<>(apply);
        x509.addAll(List.of("--authentication", "x509"));

        Result asGuest = mqctl(apply.toArray(String[]::new));
        Result asTheCertificate = mqctl(x509.toArray(String[]::new));

        assertThat(asGuest.exitCode()).as("without x509: guest, who may not use the vhost; " + asGuest).isEqualTo(5);
        assertThat(asTheCertificate.exitCode()).as(asTheCertificate.toString()).isZero();
        assertThat(asTheCertificate.out()).contains("declared on vhost " + VHOST);
        assertThat(node.ctl("list_queues", "-p", VHOST, "--silent", "name")).contains("log_queue");
        Figures.record("11 mutual TLS", "mqctl topology apply, x509", "exit 0 with no password (guest: exit 5)");
    }

    private static String ca() {
        return certificates.caCertificate().toString();
    }

    private static String clientCertificate() {
        return certificates.clientCertificate().toString();
    }

    private static String clientKey() {
        return certificates.clientKey().toString();
    }

    /** The packaged mqctl with {@code args} and none of the test's environment (no RABBITMQ_* of the machine's). */
    private static Result mqctl(String... args) throws IOException, InterruptedException {
        if (!Files.exists(MQCTL)) {
            throw new IllegalStateException(MQCTL + " is missing: package mq-cli first (./mvnw -B -pl mq-cli -am package -DskipTests)");
        }
        // the launcher script, as an operator runs it (with its JVM options for a quick start)
        List<String> command = new ArrayList<>(List.of("bash", ProjectRoot.resolve("mq-cli/mqctl").toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(output, "mqctl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().keySet().removeIf(variable -> !List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME").contains(variable));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mqctl " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Result(process.exitValue(), out, Files.readString(err));
    }
}
