package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.AppEnvironment;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.TestDatabase;

/**
 * The HTTP side over TLS from the TLS registry, as docs/configuration.md (TLS for the HTTP APIs) gives it: the
 * packaged log-consumer serves its API, health and metrics on HTTPS only, with the certificate and key from PEM
 * files, on the port that serves plain HTTP otherwise, as deploy/kubernetes' production overlay runs it; a client
 * that trusts the CA reads them, one that does not is refused in the handshake, and there is no plain HTTP listener.
 */
class HttpTlsIT {

    private static final BrokerAdmin ADMIN = new BrokerAdmin();
    private static Path work;
    private static Certificates certificates;
    private static String vhost;
    private static String database;

    @BeforeAll
    static void provision() throws IOException {
        work = Files.createDirectories(Repo.path("ops-checks/target/http-tls"));
        certificates = Certificates.generate(work);
        vhost = ADMIN.createVhost();
        database = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() {
        if (vhost != null) {
            ADMIN.deleteVhost(vhost);
        }
        if (database != null) {
            TestDatabase.drop(database);
        }
    }

    @Test
    void theApiHealthAndMetricsAreServedOnHttpsOnly() throws Exception {
        // HTTPS on the HTTP port's number, as components/tls of deploy/kubernetes sets it: nothing else listens there
        int httpsPort = LoopbackPort.free();
        Map<String, String> env = new HashMap<>(AppEnvironment.local(vhost, database));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpsPort));
        env.put("QUARKUS_HTTP_TLS_CONFIGURATION_NAME", "http");
        env.put("QUARKUS_TLS_HTTP_KEY_STORE_PEM_SERVER_CERT", certificates.serverCertificate().toString());
        env.put("QUARKUS_TLS_HTTP_KEY_STORE_PEM_SERVER_KEY", certificates.serverKey().toString());
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
        env.put("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");
        try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, env, work.resolve("log-consumer.log"))) {
            HttpClient trusting = client(certificates.caCertificate());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast("log-consumer exited", () -> !app.isAlive())
                    .until(() -> status(trusting, httpsPort, "/q/health/ready") == 200);

            assertThat(status(trusting, httpsPort, "/q/metrics")).isEqualTo(200);
            assertThat(status(trusting, httpsPort, "/logs?limit=1")).isEqualTo(200);
            assertThat(app.port()).isEqualTo(httpsPort);
            assertThat(app.status("/q/health/ready")).as("plain HTTP on the port").isEqualTo(-1);
            assertThatThrownBy(() -> status(client(certificates.otherCaCertificate()), httpsPort, "/q/health/live"))
                    .as("a client that does not trust the server's CA").isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static int status(HttpClient client, int port, String path) throws IOException, InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.ConnectException e) {
            return -1; // not listening yet
        }
    }

    /** An HTTPS client trusting only the CA in {@code caPem}. */
    private static HttpClient client(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
