package com.vivesphere.mq.common.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.Certificates;

/** The JDK's own trust manager judges the certificates; the explanation must name what it found. */
class CertificateValidityTest {

    private final Certificates certificates = Certificates.generate(Path.of("target"));
    private final BrokerSettings broker = new BrokerSettings("localhost", 5671, Optional.empty(), "user", "secret", "/", true);

    @Test
    void anExpiredServerCertificateIsExplainedWithItsDate() throws Exception {
        String explained = broker.explain(refusedByTheTrustManager(certificates.expiredServerCertificate()));

        assertThat(explained).contains("a certificate expired (NotAfter: ").contains("renew it").doesNotContain("secret");
    }

    @Test
    void aNotYetValidServerCertificateIsExplainedWithItsDate() {
        assertThat(broker.explain(refusedByTheTrustManager(certificates.notYetValidServerCertificate())))
                .contains("a certificate is not yet valid (NotBefore: ").contains("check the clocks");
    }

    @Test
    void aValidServerCertificateIsNoValidityProblem() throws Exception {
        trustingTheCa().checkServerTrusted(new X509Certificate[] { read(certificates.serverCertificate()) }, "RSA");

        assertThat(broker.explain(new SSLHandshakeException("reset"))).isEqualTo(new SSLHandshakeException("reset").toString());
    }

    @Test
    void aConnectionClosedWhileTheClientCertificateIsExpiredIsExplainedWithItsDate() throws Exception {
        certificates.issueClientCertificate("expired-client", "expired-worker", -1);
        X509Certificate expired = read(certificates.certificate("expired-client"));
        X509Certificate valid = read(certificates.clientCertificate());
        SocketException reset = new SocketException("Connection reset by peer");

        assertThat(presenting(expired).explain(reset)).isEqualTo(reset + "; this worker's client certificate expired (NotAfter: "
                + expired.getNotAfter().toInstant() + "): renew it");
        assertThat(presenting(valid).explain(reset)).isEqualTo(reset.toString());
    }

    private BrokerSettings presenting(X509Certificate clientCertificate) {
        return broker.withTls(name -> null, true, () -> List.of(clientCertificate));
    }

    /** What the handshake throws around the trust manager's refusal of {@code certificate}. */
    private SSLHandshakeException refusedByTheTrustManager(Path certificate) {
        Throwable refused = catchThrowable(
                () -> trustingTheCa().checkServerTrusted(new X509Certificate[] { read(certificate) }, "RSA"));
        assertThat(refused).as("the trust manager refuses " + certificate).isNotNull();
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path validation failed");
        handshake.initCause(refused);
        return handshake;
    }

    private X509TrustManager trustingTheCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", read(certificates.caCertificate()));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
