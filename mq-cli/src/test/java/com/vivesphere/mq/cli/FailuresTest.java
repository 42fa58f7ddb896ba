package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

/** TLS handshake failures as the JDK nests them, said as the operator needs them (exit 3). */
class FailuresTest {

    private static final String WHERE = "localhost:5671 vhost /";

    @Test
    void anUntrustedCertificateIsSaidToBeNotTrusted() {
        CliException explained = Failures.explain(handshake(new CertPathBuilderException("unable to find valid certification path")),
                WHERE);

        assertThat(explained.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(explained.getMessage()).isEqualTo("the certificate of RabbitMQ at " + WHERE + " is not trusted: no CA of "
                + "--tls-ca (RABBITMQ_TLS_CA_FILE; without one, the JVM's trust store) signed it");
    }

    @Test
    void anExpiredCertificateIsSaidInTheAppsWords() {
        CliException explained = Failures.explain(handshake(new CertificateExpiredException("NotAfter: Tue Dec 01 10:00:00 UTC 2026")),
                WHERE);

        assertThat(explained.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(explained.getMessage()).isEqualTo("TLS to RabbitMQ at " + WHERE + " failed: a certificate expired "
                + "(NotAfter: Tue Dec 01 10:00:00 UTC 2026): renew it");
    }

    @Test
    void aCertificateForAnotherNameSaysHowToConnect() {
        CliException explained = Failures.explain(
                handshake(new CertificateException("No subject alternative names matching IP address 127.0.0.1 found")), WHERE);

        assertThat(explained.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(explained.getMessage()).startsWith("the certificate of RabbitMQ at " + WHERE + " does not name the host")
                .endsWith("connect by a name it gives, or --no-tls-hostname-verification");
    }

    @Test
    void theManagementApiIsNamedAsThePeer() {
        assertThat(Failures.tls(handshake(new CertPathBuilderException("no path")), "the management API at https://mq:15671"))
                .hasValueSatisfying(e -> assertThat(e.getMessage()).startsWith("the certificate of the management API at https://mq:15671 is not trusted"));
        assertThat(Failures.tls(new SSLHandshakeException("Received fatal alert: handshake_failure"), "x")).isEmpty();
    }

    private static SSLHandshakeException handshake(Exception cause) {
        SSLHandshakeException failure = new SSLHandshakeException(cause.getMessage());
        failure.initCause(new CertificateException(cause.getMessage(), cause));
        return failure;
    }
}
