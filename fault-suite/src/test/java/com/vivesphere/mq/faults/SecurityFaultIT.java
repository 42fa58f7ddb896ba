package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.BrokerNode;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.faults.support.DeadLetterReader;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.LoopbackPort;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.TestKeyPair;
import com.vivesphere.mq.testing.XApiStub;

import io.smallrye.jwt.build.Jwt;

/**
 * Scenario 9: default credentials refused in production; TLS (amqps) with hostname verification against a
 * node with a generated CA, refused with a wrong CA or a name the certificate does not carry; and secrets
 * (broker and database passwords from files, the TLS client key, query API tokens, X tokens) in no log, metric,
 * health output, query answer, dead-letter header, result or stored log event.
 */
class SecurityFaultIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration START = Duration.ofSeconds(120);
    private static final String REFUSAL = "Refusing to start with RabbitMQ's default guest/guest credentials";
    private static Certificates certificates;
    private static BrokerNode node;
    private static int tlsPort;

    @BeforeAll
    static void startNode() {
        certificates = Certificates.generate(Figures.output().resolve("security"));
        tlsPort = LoopbackPort.free();
        node = BrokerNode.start("security", certificates.brokerConfig(tlsPort));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theProductionProfileRefusesTheDefaultCredentials() {
        Path logs = Figures.output().resolve("security");
        try (Sandbox sandbox = Sandbox.on(List.of(node))) {
            for (PackagedApp.App app : PackagedApp.App.values()) {
                Map<String, String> env = new HashMap<>(sandbox.env());
                env.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");
                env.remove("RABBITMQ_USERNAME");
                env.remove("RABBITMQ_PASSWORD");
                env.put("BOT_WORKER_ALLOW_DRY_RUN", "true");
                env.put("BOT_EXECUTOR", "dry-run");
                try (PackagedApp worker = PackagedApp.start(app, env, logs.resolve(app.module() + "-default-credentials.log"))) {
                    assertThat(worker.waitFor(START)).as(app.module() + " exits").isTrue();
                    assertThat(worker.exitValue()).as(app.module() + " exit code").isNotZero();
                    assertThat(worker.log()).contains(REFUSAL);
                    Figures.record("9 security", app.module() + " with guest/guest, production profile",
                            "refused at start, exit code " + worker.exitValue());
                }
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void amqpsWithHostnameVerificationWorksAndFailsAgainstAWrongCaOrNameUnlessVerificationIsTurnedOff() throws Exception {
        Path logs = Figures.output().resolve("security");
        try (Sandbox sandbox = Sandbox.on(List.of(node)); Connection producer = sandbox.connect("fault-producer")) {
            Map<String, String> tls = new HashMap<>(sandbox.env());
            tls.put("RABBITMQ_HOST", "localhost");
            tls.put("RABBITMQ_PORT", String.valueOf(tlsPort));
            tls.put("RABBITMQ_SSL", "true");
            Map<String, String> byAddress = new HashMap<>(tls);
            byAddress.put("RABBITMQ_HOST", "127.0.0.1");
            // The same through the TLS registry: verified unless its configuration turns verification off.
            Map<String, String> registryByAddress = new HashMap<>(byAddress);
            registryByAddress.remove("RABBITMQ_SSL");
            registryByAddress.putAll(certificates.tlsConfiguration(false));
            Map<String, String> unverifiedByAddress = new HashMap<>(registryByAddress);
            unverifiedByAddress.put("QUARKUS_TLS_RABBITMQ_HOSTNAME_VERIFICATION_ALGORITHM", "NONE");

            PackagedApp trusted = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, certificates.jvmTrustingTheCa(), tls,
                    logs.resolve("log-consumer-tls.log"));
            PackagedApp wrongCa = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, certificates.jvmTrustingAnotherCa(), tls,
                    logs.resolve("log-consumer-tls-wrong-ca.log"));
            PackagedApp wrongName = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, certificates.jvmTrustingTheCa(), byAddress,
                    logs.resolve("log-consumer-tls-wrong-name.log"));
            PackagedApp registryWrongName = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, registryByAddress,
                    logs.resolve("log-consumer-tls-registry-wrong-name.log"));
            PackagedApp unverified = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, unverifiedByAddress,
                    logs.resolve("log-consumer-tls-registry-unverified.log"));
            try (trusted; wrongCa; wrongName; registryWrongName; unverified) {
                trusted.awaitReady(START);
                // Ready means connected: to the TLS port, by an address the certificate does not name.
                unverified.awaitReady(START);
                UUID id = UUID.randomUUID();
                Traffic.publish(producer, List.of(Traffic.logEvent(id, "tls")));
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.rows("log_events", "id = '" + id + "'") == 1);
                String connections = node.ctl("list_connections", "client_properties", "ssl", "ssl_protocol", "peer_port");
                assertThat(connections).as("the worker's connection is TLS").containsPattern("log-consumer.*\\btrue\\s+tlsv1\\.[23]");

                for (PackagedApp refused : List.of(wrongCa, wrongName, registryWrongName)) {
                    await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> refused.status("/q/health/live") == 200);
                    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                            .until(() -> refused.status("/q/health/ready") == 503 && refused.isAlive());
                }
                assertThat(wrongCa.log()).containsAnyOf("PKIX path building failed", "unable to find valid certification path");
                assertThat(wrongName.log()).contains("No subject alternative names matching IP address 127.0.0.1");
                assertThat(registryWrongName.log()).contains("No subject alternative names matching IP address 127.0.0.1");

                Figures.record("9 security", "amqps, CA trusted, host localhost", "ready, event stored, connection TLS");
                Figures.record("9 security", "amqps, another CA trusted", "not ready (PKIX path building failed), retrying");
                Figures.record("9 security", "amqps, host 127.0.0.1 (certificate names localhost)",
                        "not ready (no subject alternative name matches), retrying");
                Figures.record("9 security", "amqps from the TLS registry, host 127.0.0.1",
                        "not ready (no subject alternative name matches), retrying; with HOSTNAME_VERIFICATION_ALGORITHM=NONE: ready");
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void secretsAppearInNoLogMetricHealthOutputDeadLetterResultOrStoredEvent() throws Exception {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String brokerPassword = "S3cr3tBroker" + tag;
        String wrongBrokerPassword = "S3cr3tWrongBroker" + tag;
        String databasePassword = "S3cr3tDatabase" + tag;
        String accessTokens = "S3cr3tAccess" + tag + "-";
        String refreshTokens = "S3cr3tRefresh" + tag + "-";
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("broker password", brokerPassword);
        secrets.put("wrong broker password", wrongBrokerPassword);
        secrets.put("database password", databasePassword);
        secrets.put("X access tokens", accessTokens);
        secrets.put("X refresh tokens", refreshTokens);
        String user = "vs-fault-" + tag;
        node.ctl("add_user", user, brokerPassword);
        node.ctl("set_permissions", "-p", "/", user, ".*", ".*", ".*");

        Path logs = Figures.output().resolve("security");
        // As production runs: passwords as files of the secrets directory, mutual TLS from PEM files, the query API
        // behind tokens; the key, the tokens and the files' contents are secrets too.
        Map<String, String> tls = certificates.tlsConfiguration(true);
        secrets.put("TLS client key", firstKeyLine(Path.of(tls.get("QUARKUS_TLS_RABBITMQ_KEY_STORE_PEM_WORKER_KEY"))));
        TestKeyPair identityProvider = new TestKeyPair();
        String readerToken = Jwt.upn("reader@vivesphere.test").groups("logs-reader").expiresIn(300).sign(identityProvider.privateKey());
        String forgedToken = Jwt.upn("reader@vivesphere.test").groups("logs-reader").expiresIn(300).sign(new TestKeyPair().privateKey());
        secrets.put("query API token", signatureOf(readerToken));
        secrets.put("forged query API token", signatureOf(forgedToken));
        try (Sandbox sandbox = Sandbox.on(List.of(node)); XApiStub x = new XApiStub(Duration.ZERO, accessTokens);
                Connection producer = sandbox.connect("fault-producer"); Channel results = producer.createChannel()) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");
            env.remove("RABBITMQ_PASSWORD");
            env.remove("QUARKUS_DATASOURCE_PASSWORD");
            env.put("RABBITMQ_USERNAME", user);
            env.put("RABBITMQ_HOST", "localhost");
            env.put("RABBITMQ_PORT", String.valueOf(tlsPort));
            env.putAll(tls);
            env.put("VIVESPHERE_SECRETS_DIR", secretsDirectory(logs.resolve("secrets-" + tag),
                    Map.of("RABBITMQ_PASSWORD", brokerPassword, "QUARKUS_DATASOURCE_PASSWORD", databasePassword)).toString());
            Map<String, String> consumerEnv = new HashMap<>(env);
            consumerEnv.remove("LOG_CONSUMER_API_ACCESS");
            consumerEnv.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", identityProvider.writePublicKey(logs.resolve("jwt-" + tag + ".pem")).toString());
            Map<String, String> botEnv = new HashMap<>(env);
            botEnv.putAll(x.env(x.credentialsFile(logs, refreshTokens)));
            botEnv.put("BOT_WORKER_RETRY_MAX_ATTEMPTS", "2");
            botEnv.put("BOT_WORKER_RETRY_INITIAL_DELAY", "1s");
            Map<String, String> refusedEnv = new HashMap<>(env);
            refusedEnv.put("VIVESPHERE_SECRETS_DIR", secretsDirectory(logs.resolve("wrong-secrets-" + tag),
                    Map.of("RABBITMQ_PASSWORD", wrongBrokerPassword)).toString());

            PackagedApp logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, consumerEnv, logs.resolve("log-consumer-secrets.log"));
            PackagedApp botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv, logs.resolve("bot-action-worker-secrets.log"));
            PackagedApp refused = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, refusedEnv, logs.resolve("log-consumer-wrong-password.log"));
            try (logConsumer; botWorker; refused) {
                logConsumer.awaitReady(START);
                botWorker.awaitReady(START);
                String resultsQueue = results.queueDeclare("", false, true, true, Map.of()).getQueue();
                results.queueBind(resultsQueue, Topology.BOT_ACTION_EVENT_EXCHANGE, "#");

                List<Traffic.Outgoing> traffic = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    traffic.add(Traffic.logEvent(UUID.randomUUID(), "secrets"));
                }
                traffic.add(new Traffic.Outgoing(Topology.LOG_EXCHANGE, "info.secrets", Traffic.json("bad-1", "LogEvent"),
                        "{\"schemaVersion\":1,".getBytes(StandardCharsets.UTF_8)));
                for (int i = 1; i <= 3; i++) {
                    traffic.add(Traffic.botAction(UUID.randomUUID(), "bot-" + i, "LIKE", "\"targetPostId\":\"ok-" + i + "\""));
                    traffic.add(Traffic.botAction(UUID.randomUUID(), "bot-" + i, "LIKE", "\"targetPostId\":\"reject-" + i + "\""));
                    traffic.add(Traffic.botAction(UUID.randomUUID(), "bot-" + i, "LIKE", "\"targetPostId\":\"fail-" + i + "\""));
                }
                Traffic.publish(producer, traffic);
                // 1 malformed event, 3 refused by X (400 quoting the Authorization header), 3 failing for good (503).
                List<DeadLetterReader.Letter> letters = DeadLetterReader.take(sandbox, 7, Duration.ofMinutes(2));
                // A lost connection and its recovery get logged too.
                assertThat(node.closeConnections("log-consumer", "fault-suite: connection cut on purpose")
                        + node.closeConnections("bot-action-worker", "fault-suite: connection cut on purpose")).isEqualTo(2);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> logConsumer.status("/q/health/ready") == 200 && botWorker.status("/q/health/ready") == 200);
                // The results of the bot actions reach the Logging System: stored events.
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> sandbox.rows("log_events", "service = 'bot-action-worker'") == 6);
                await().atMost(Duration.ofSeconds(30)).until(() -> refused.status("/q/health/live") == 200
                        && refused.log().contains("ACCESS_REFUSED"));

                HttpResponse<String> read = query(logConsumer, readerToken);
                HttpResponse<String> forged = query(logConsumer, forgedToken);
                assertThat(read.statusCode()).as("the query API with a valid token").isEqualTo(200);
                assertThat(forged.statusCode()).as("the query API with a token of another key").isEqualTo(401);
                assertThat(node.ctl("list_connections", "user", "ssl")).as("the workers' connections are TLS")
                        .containsPattern(user + "\\s+true");

                Map<String, String> outputs = new LinkedHashMap<>();
                outputs.put("query API answers", read.body() + read.headers() + forged.body() + forged.headers());
                for (PackagedApp worker : List.of(logConsumer, botWorker, refused)) {
                    String name = worker.logFile().getFileName().toString();
                    outputs.put("log " + name, worker.log());
                    outputs.put("metrics " + name, worker.body("/q/metrics"));
                    outputs.put("health " + name, worker.body("/q/health") + worker.body("/q/health/ready")
                            + worker.body("/q/health/live"));
                }
                StringBuilder headers = new StringBuilder();
                letters.forEach(l -> headers.append(l.headers()).append('\n'));
                outputs.put("dead-letter headers", headers.toString());
                StringBuilder published = new StringBuilder();
                for (GetResponse r; (r = results.basicGet(resultsQueue, true)) != null;) {
                    published.append(new String(r.getBody(), StandardCharsets.UTF_8)).append(headersOf(r.getProps())).append('\n');
                }
                outputs.put("published results", published.toString());
                outputs.put("stored log events", String.join("\n", sandbox.column(
                        "SELECT message || ' ' || attributes::text || ' ' || coalesce(logger, '') FROM log_events")));
                outputs.put("execution ledger", String.join("\n", sandbox.column(
                        "SELECT coalesce(error, '') FROM bot_action_executions")));

                // The scan means something: the X error that quoted the token did reach these outputs, masked.
                assertThat(letters.stream().filter(l -> "x-rejected".equals(l.header(FailureHeaders.REASON))))
                        .hasSize(3).allSatisfy(l -> assertThat(l.header(FailureHeaders.ERROR_MESSAGE)).contains("Authorization: [REDACTED]"));
                assertThat(published.toString()).contains("FAILED");
                Map<String, List<String>> leaks = new LinkedHashMap<>();
                outputs.forEach((where, text) -> secrets.forEach((what, secret) -> {
                    if (text.contains(secret)) {
                        leaks.computeIfAbsent(where, w -> new ArrayList<>()).add(what);
                    }
                }));
                assertThat(leaks).as("secrets found").isEmpty();

                long scanned = outputs.values().stream().mapToLong(String::length).sum();
                Figures.record("9 security", "secrets found in logs, metrics, health, dead letters, results, events",
                        leaks.size() + " (" + secrets.size() + " secrets, " + outputs.size() + " outputs, "
                                + scanned / 1024 + " KiB scanned)");
            } finally {
                node.ctl("delete_user", user);
            }
        }
    }

    /** The events of service {@code secrets} as a reader asks for them, with {@code token}. */
    private static HttpResponse<String> query(PackagedApp logConsumer, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + logConsumer.port() + "/logs?service=secrets"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A directory of secrets as Kubernetes mounts one: a file per setting, its value and a line break. */
    private static Path secretsDirectory(Path directory, Map<String, String> values) throws IOException {
        Files.createDirectories(directory);
        for (Map.Entry<String, String> value : values.entrySet()) {
            Files.writeString(directory.resolve(value.getKey()), value.getValue() + "\n");
        }
        return directory;
    }

    /** The first line of a PEM key's base64 body: 64 characters no output may hold. */
    private static String firstKeyLine(Path pem) throws IOException {
        return Files.readAllLines(pem).stream().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
    }

    /** A token's signature: what makes it a credential, and unique to it. */
    private static String signatureOf(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    private static String headersOf(AMQP.BasicProperties properties) {
        return properties.getHeaders() == null ? "" : properties.getHeaders().toString();
    }
}
