package com.vivesphere.mq.common.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.Certificates;

/** Real handshakes on loopback between contexts made from the PEM files of a throw-away CA. */
class PemTlsTest {

    private static final Certificates certificates = Certificates.generate(Path.of("target"));

    /** A server presenting the CA-signed certificate for localhost and requiring a client certificate of the same CA. */
    private static final PemTls server = new PemTls(Optional.of(certificates.caCertificate()), Optional.of(certificates.serverCertificate()),
            Optional.of(certificates.serverKey()), true);

    @Test
    void theCaAndAClientCertificateMakeAMutualHandshake() throws Exception {
        PemTls client = new PemTls(Optional.of(certificates.caCertificate()), Optional.of(certificates.clientCertificate()),
                Optional.of(certificates.clientKey()), true);

        String seenByTheServer = handshake(client, "localhost").get(10, TimeUnit.SECONDS);

        assertThat(seenByTheServer).isEqualTo("CN=" + Certificates.CLIENT_NAME);
    }

    @Test
    void anotherCaDoesNotTrustTheServer() {
        PemTls client = new PemTls(Optional.of(certificates.otherCaCertificate()), Optional.empty(), Optional.empty(), true);

        Throwable refused = catchThrowable(() -> handshake(client, "localhost"));

        assertThat(refused).isInstanceOf(SSLHandshakeException.class).hasRootCauseInstanceOf(CertPathBuilderException.class);
    }

    @Test
    void theHostNameIsVerifiedUnlessTurnedOff() throws Exception {
        PemTls verifying = new PemTls(Optional.of(certificates.caCertificate()), Optional.of(certificates.clientCertificate()),
                Optional.of(certificates.clientKey()), true);
        PemTls notVerifying = new PemTls(Optional.of(certificates.caCertificate()), Optional.of(certificates.clientCertificate()),
                Optional.of(certificates.clientKey()), false);

        // the certificate names localhost only, as a DNS name: 127.0.0.1 is not it
        assertThat(catchThrowable(() -> handshake(verifying, "127.0.0.1"))).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
        assertThat(handshake(notVerifying, "127.0.0.1").get(10, TimeUnit.SECONDS)).isEqualTo("CN=" + Certificates.CLIENT_NAME);
    }

    @Test
    void unusableFilesAreNamed() throws Exception {
        Path pkcs1 = Files.writeString(Path.of("target", "pkcs1-" + System.nanoTime() + ".key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Path missing = Path.of("target", "no-such-ca.pem");

        assertThatThrownBy(() -> new PemTls(Optional.of(missing), Optional.empty(), Optional.empty(), true).sslContext())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read the CA certificates file " + missing);
        assertThatThrownBy(() -> new PemTls(Optional.empty(), Optional.of(certificates.clientCertificate()), Optional.of(pkcs1), true)
                .sslContext()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a RSA PRIVATE KEY; give an unencrypted PKCS#8 key");
        assertThatThrownBy(() -> new PemTls(Optional.empty(), Optional.of(certificates.clientCertificate()), Optional.empty(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a client certificate needs its key, and a key its certificate");
    }

    /** Connects {@code client} to a one-connection server as {@code host}; the server's future gives the client's subject. */
    private CompletableFuture<String> handshake(PemTls client, String host) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.sslContext().getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    return socket.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    return "refused: " + e;
                }
            });
            try (SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory().createSocket(host, listener.getLocalPort())) {
                javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
                // as the RabbitMQ client does when told to verify host names
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return accepted;
            }
        }
    }
}
