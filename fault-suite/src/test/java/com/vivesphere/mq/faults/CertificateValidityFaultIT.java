package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * Scenario 11 continued: broker nodes presenting a server certificate signed by the CA the worker trusts, but
 * expired, or not valid yet. The worker refuses it, and its log and readiness say which, and the date.
 */
class CertificateValidityFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static Certificates certificates;
    private static BrokerNode expired;
    private static int expiredPort;
    private static BrokerNode notYetValid;
    private static int notYetValidPort;

    @BeforeAll
    static void startNode() {
        certificates = Certificates.generate(Figures.output().resolve("certificate-validity"));
        expiredPort = LoopbackPort.free();
        expired = BrokerNode.start("expired-certificate",
                certificates.brokerConfigPresenting(expiredPort, certificates.expiredServerCertificate()));
        notYetValidPort = LoopbackPort.free();
        notYetValid = BrokerNode.start("future-certificate",
                certificates.brokerConfigPresenting(notYetValidPort, certificates.notYetValidServerCertificate()));
    }

    @AfterAll
    static void stopNode() {
        for (BrokerNode node : new BrokerNode[] { expired, notYetValid }) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anExpiredBrokerCertificateIsRefusedWithTheReasonInLogAndReadiness() throws Exception {
        refusedSaying(expired, expiredPort, "expired", "a certificate expired (NotAfter: ");
        Figures.record("11 mutual TLS", "broker certificate expired", "not ready (a certificate expired, with its date), retrying");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aNotYetValidBrokerCertificateIsRefusedWithTheReasonInLogAndReadiness() throws Exception {
        refusedSaying(notYetValid, notYetValidPort, "not-yet-valid", "a certificate is not yet valid (NotBefore: ");
        Figures.record("11 mutual TLS", "broker certificate not yet valid",
                "not ready (a certificate not yet valid, with its date), retrying");
    }

    private static void refusedSaying(BrokerNode node, int tlsPort, String label, String reason) throws Exception {
        Path logs = Figures.output().resolve("certificate-validity");
        try (Sandbox sandbox = Sandbox.on(List.of(node))) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.put("RABBITMQ_HOST", "localhost");
            env.put("RABBITMQ_PORT", String.valueOf(tlsPort));
            env.putAll(certificates.tlsConfiguration(false));
            String password = env.get("RABBITMQ_PASSWORD");

            try (PackagedApp refused = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, env,
                    logs.resolve("log-consumer-" + label + "-broker-certificate.log"))) {
                await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> refused.status("/q/health/live") == 200);
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> refused.status("/q/health/ready") == 503 && refused.isAlive());
                assertThat(refused.log()).as("why the worker does not connect").contains(reason);
                String readiness = refused.body("/q/health/ready");
                assertThat(readiness).as("readiness says why").contains(reason);
                assertThat(readiness).as("no secret in readiness").doesNotContain(password);
            }
        }
    }
}
