package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * Scenario 11: a broker node whose TLS listener requires a client certificate. The worker's TLS comes from Quarkus's
 * TLS registry (PEM files): without a client certificate it is refused, says why and is not ready; with one, and
 * x509 authentication (the certificate's name is the user, no password), it is ready and stores what arrives.
 */
class MutualTlsFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static Certificates certificates;
    private static BrokerNode node;
    private static int tlsPort;

    @BeforeAll
    static void startNode() {
        certificates = Certificates.generate(Figures.output().resolve("mutual-tls"));
        tlsPort = LoopbackPort.free();
        node = BrokerNode.start("mutual-tls", certificates.brokerConfigRequiringClientCertificates(tlsPort));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void withoutAClientCertificateRefusedAndWithOneAndX509ReadyWithoutAPassword() throws Exception {
        Path logs = Figures.output().resolve("mutual-tls");
        try (Sandbox sandbox = Sandbox.on(List.of(node)); Connection producer = sandbox.connect("fault-producer")) {
            // The certificate's common name is a broker user without a password, allowed on the sandbox's vhost.
            node.ctl("add_user", Certificates.CLIENT_NAME, UUID.randomUUID().toString());
            node.ctl("clear_password", Certificates.CLIENT_NAME);
            node.ctl("set_permissions", "-p", sandbox.vhost(), Certificates.CLIENT_NAME, ".*", ".*", ".*");
            Map<String, String> tls = new HashMap<>(sandbox.env());
            tls.put("RABBITMQ_HOST", "localhost");
            tls.put("RABBITMQ_PORT", String.valueOf(tlsPort));
            Map<String, String> withoutCertificate = new HashMap<>(tls);
            withoutCertificate.putAll(certificates.tlsConfiguration(false));
            Map<String, String> x509 = new HashMap<>(tls);
            x509.putAll(certificates.tlsConfiguration(true));
            x509.put("VIVESPHERE_RABBITMQ_AUTHENTICATION", "x509");
            x509.remove("RABBITMQ_USERNAME");
            x509.remove("RABBITMQ_PASSWORD");
            x509.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");

            PackagedApp refused = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, withoutCertificate,
                    logs.resolve("log-consumer-no-client-certificate.log"));
            PackagedApp mutual = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, x509, logs.resolve("log-consumer-x509.log"));
            try (refused; mutual) {
                mutual.awaitReady(START);
                UUID id = UUID.randomUUID();
                Traffic.publish(producer, List.of(Traffic.logEvent(id, "mutual-tls")));
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.rows("log_events", "id = '" + id + "'") == 1);
                String connections = node.ctl("list_connections", "client_properties", "user", "auth_mechanism", "ssl");
                assertThat(connections).as("the worker's connection: TLS, x509 authentication, the certificate's user")
                        .containsPattern("log-consumer.*\\b" + Certificates.CLIENT_NAME + "\\s+EXTERNAL\\s+true");

                await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> refused.status("/q/health/live") == 200);
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> refused.status("/q/health/ready") == 503 && refused.isAlive());
                assertThat(refused.log()).as("why the worker without a client certificate cannot connect")
                        .contains("this worker presents no client certificate");
                assertThat(refused.body("/q/health/ready")).as("readiness says why").contains("presents no client certificate");

                Figures.record("11 mutual TLS", "no client certificate", "not ready (the broker asks for a certificate), retrying");
                Figures.record("11 mutual TLS", "client certificate, x509 authentication",
                        "ready, event stored, user " + Certificates.CLIENT_NAME + " by EXTERNAL, no password");
            }
        }
    }

    /**
     * The files are replaced where they lie, as cert-manager and Vault Agent renew them; the TLS registry re-reads them
     * every second here. The open connection keeps its certificate; the next one presents the new file's.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRenewedClientCertificateIsPresentedAtTheNextConnectionAndAnExpiredOneIsRefusedWithItsReason() throws Exception {
        Path logs = Figures.output().resolve("mutual-tls");
        String first = "vivesphere-worker-first";
        String renewed = "vivesphere-worker-renewed";
        certificates.issueClientCertificate("first", first, 2);
        certificates.issueClientCertificate("renewed", renewed, 2);
        certificates.issueClientCertificate("expired", renewed, -1);
        Path mounted = Files.createDirectories(logs.resolve("worker-tls-" + UUID.randomUUID().toString().substring(0, 8)));
        mount(mounted, "first");
        try (Sandbox sandbox = Sandbox.on(List.of(node)); Connection producer = sandbox.connect("fault-producer")) {
            for (String user : List.of(first, renewed)) {
                node.ctl("add_user", user, UUID.randomUUID().toString());
                node.ctl("clear_password", user);
                node.ctl("set_permissions", "-p", sandbox.vhost(), user, ".*", ".*", ".*");
            }
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.put("RABBITMQ_HOST", "localhost");
            env.put("RABBITMQ_PORT", String.valueOf(tlsPort));
            env.putAll(certificates.tlsConfiguration(true));
            env.put("QUARKUS_TLS_RABBITMQ_KEY_STORE_PEM_WORKER_CERT", mounted.resolve("tls.crt").toString());
            env.put("QUARKUS_TLS_RABBITMQ_KEY_STORE_PEM_WORKER_KEY", mounted.resolve("tls.key").toString());
            env.put("QUARKUS_TLS_RABBITMQ_RELOAD_PERIOD", "1s");
            env.put("VIVESPHERE_RABBITMQ_AUTHENTICATION", "x509");
            env.remove("RABBITMQ_USERNAME");
            env.remove("RABBITMQ_PASSWORD");
            env.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");

            try (PackagedApp worker = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, env, logs.resolve("log-consumer-renewal.log"))) {
                worker.awaitReady(START);
                List<UUID> events = new ArrayList<>();
                publishAndAwaitStored(sandbox, producer, events);
                assertThat(userOf("log-consumer")).as("the user of the worker's connection").isEqualTo(first);

                mount(mounted, "renewed");
                // A connection made before the registry re-read the files still presents the old certificate:
                // close it again until one presents the renewed one.
                long renewedAt = System.nanoTime();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    String user = userOf("log-consumer");
                    if (first.equals(user)) {
                        node.closeConnections("log-consumer", "the fault suite renewed the client certificate");
                    }
                    return renewed.equals(user);
                });
                double presentedAfter = (System.nanoTime() - renewedAt) / 1e9;
                worker.awaitReady(START);
                publishAndAwaitStored(sandbox, producer, events);

                mount(mounted, "expired");
                long expiredAt = System.nanoTime();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    node.closeConnections("log-consumer", "the fault suite put an expired client certificate in place");
                    return worker.status("/q/health/ready") == 503 && worker.log().contains(EXPIRED_CLIENT_CERTIFICATE);
                });
                double refusedAfter = (System.nanoTime() - expiredAt) / 1e9;
                assertThat(worker.body("/q/health/ready")).as("readiness says why").contains(EXPIRED_CLIENT_CERTIFICATE);
                UUID whileRefused = UUID.randomUUID();
                Traffic.publish(producer, List.of(Traffic.logEvent(whileRefused, "mutual-tls")));
                events.add(whileRefused);

                mount(mounted, "renewed");
                worker.awaitReady(START);
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.rows("log_events", "id = '" + whileRefused + "'") == 1);
                publishAndAwaitStored(sandbox, producer, events);
                assertThat(sandbox.rows("log_events", "service = 'mutual-tls'")).as("events stored, each once").isEqualTo(events.size());
                List<String> changes = worker.log().lines().filter(line -> line.contains(CERTIFICATES_CHANGED)).toList();
                assertThat(changes).as("the reloads logged once per change of the files (renewed, expired, renewed again),"
                        + " not at every period").hasSize(3);
                assertThat(changes.get(0)).as("what the worker presents from then on").contains("CN=" + renewed);

                Figures.record("11 mutual TLS", "client certificate renewed in place (reload every 1 s)",
                        "presented at the next connection, " + Figures.seconds(presentedAfter) + " after the files changed");
                Figures.record("11 mutual TLS", "expired client certificate",
                        "refused by the broker, not ready after " + Figures.seconds(refusedAfter)
                                + ", reason in log and readiness; renewed again: ready; " + events.size() + " events stored, 0 lost");
            }
        }
    }

    private static final String CERTIFICATES_CHANGED = "TLS configuration rabbitmq: its certificate files changed";
    private static final String EXPIRED_CLIENT_CERTIFICATE = "this worker's client certificate expired (NotAfter: ";

    /** Puts the certificate and key issued as {@code name} in place of the mounted ones, each file replaced at once. */
    private static void mount(Path mounted, String name) throws IOException {
        for (Path[] file : List.of(new Path[] { certificates.certificate(name), mounted.resolve("tls.crt") },
                new Path[] { certificates.key(name), mounted.resolve("tls.key") })) {
            Path next = file[1].resolveSibling(file[1].getFileName() + ".next");
            Files.copy(file[0], next, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, file[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The broker user of the connection named {@code connectionName}, or null while there is none. */
    private static String userOf(String connectionName) {
        return node.ctl("list_connections", "--silent", "user", "client_properties").lines()
                .filter(line -> line.contains("{\"connection_name\",\"" + connectionName + "\"}"))
                .map(line -> line.substring(0, line.indexOf('\t')).trim()).findFirst().orElse(null);
    }

    private static void publishAndAwaitStored(Sandbox sandbox, Connection producer, List<UUID> events) throws Exception {
        UUID id = UUID.randomUUID();
        Traffic.publish(producer, List.of(Traffic.logEvent(id, "mutual-tls")));
        events.add(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.rows("log_events", "id = '" + id + "'") == 1);
    }
}
