package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
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
}
