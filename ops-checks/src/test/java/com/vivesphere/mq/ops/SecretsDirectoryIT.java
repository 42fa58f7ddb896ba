package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.VhostAndDatabase;

/**
 * Secrets from files ({@code VIVESPHERE_SECRETS_DIR}): the packaged log-consumer logs in to the broker with a user
 * and password that only the mounted files hold, and after the password is rotated (changed on the broker, the
 * file replaced as Kubernetes replaces a Secret's files) and the broker closes the connection, it reconnects
 * with the new password by itself; every event published before and after is stored once.
 */
class SecretsDirectoryIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final BrokerAdmin ADMIN = new BrokerAdmin();
    @RegisterExtension
    static final VhostAndDatabase SANDBOX = new VhostAndDatabase();
    private static Path work;

    @BeforeAll
    static void provision() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/secrets-directory"));
    }

    @Test
    void brokerCredentialsComeFromTheFilesAndARotatedPasswordIsUsedAtTheNextConnection() throws Exception {
        Path secrets = Files.createDirectories(work.resolve("secrets-" + UUID.randomUUID().toString().substring(0, 8)));
        String user = ADMIN.createUser(SANDBOX.vhost(), "first-" + UUID.randomUUID());
        try {
            Files.writeString(secrets.resolve("RABBITMQ_USERNAME"), user + "\n");
            writeSecret(secrets, "RABBITMQ_PASSWORD", passwordOf(user, "first"));
            ADMIN.changePassword(user, passwordOf(user, "first"));
            Map<String, String> env = new HashMap<>(SANDBOX.appEnvironment());
            env.remove("RABBITMQ_USERNAME");
            env.remove("RABBITMQ_PASSWORD");
            env.remove("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS");
            env.put("VIVESPHERE_SECRETS_DIR", secrets.toString());

            try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, env, work.resolve("log-consumer.log"))) {
                app.awaitReady(START);
                publish(100);
                await().atMost(Duration.ofSeconds(30)).until(() -> stored() == 100);

                ADMIN.changePassword(user, passwordOf(user, "second"));
                writeSecret(secrets, "RABBITMQ_PASSWORD", passwordOf(user, "second"));
                // the management API lists a connection once the broker's statistics have caught up with it
                Map<String, String> before = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ADMIN.connections(SANDBOX.vhost()), connections -> !connections.isEmpty());
                before.keySet().forEach(ADMIN::closeConnection);

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> app.log().contains("recover")
                        && app.status("/q/health/ready") == 200);
                publish(100);
                await().atMost(Duration.ofSeconds(30)).until(() -> stored() == 200);
                assertThat(app.log()).as("log-consumer's log").contains("recover").doesNotContain(passwordOf(user, "first"))
                        .doesNotContain(passwordOf(user, "second"));
            }
        } finally {
            ADMIN.deleteUser(user);
        }
    }

    @Test
    void aSecretsDirectoryThatIsNotThereStopsTheStartWithItsName() {
        Path missing = work.resolve("not-there");
        Map<String, String> env = new HashMap<>(SANDBOX.appEnvironment());
        env.put("VIVESPHERE_SECRETS_DIR", missing.toString());
        try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, env, work.resolve("log-consumer-missing.log"))) {
            assertThat(app.waitFor(START)).as("log-consumer exited by itself").isTrue();
            assertThat(app.exitValue()).isNotZero();
            assertThat(app.log()).contains("VIVESPHERE_SECRETS_DIR names " + missing);
        }
    }

    private static String passwordOf(String user, String generation) {
        return generation + "-" + Integer.toHexString(user.hashCode());
    }

    /** Replaces the file in one step, as the kubelet swaps a Secret volume's files. */
    private static void writeSecret(Path secrets, String name, String value) throws Exception {
        Path next = secrets.resolve(".next-" + name);
        Files.writeString(next, value + "\n");
        Files.move(next, secrets.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void publish(int events) throws Exception {
        try (com.rabbitmq.client.Connection connection = ADMIN.connect(SANDBOX.vhost());
                MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(10))) {
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().contentType(MessagePublisher.CONTENT_TYPE)
                    .deliveryMode(2).build();
            for (int i = 0; i < events; i++) {
                publisher.publishRaw(Topology.LOG_EXCHANGE, "info.secrets-test",
                        persistent, SampleMessages.logEvent(UUID.randomUUID(), "INFO", "event " + i).getBytes());
            }
            publisher.awaitConfirms();
        }
    }

    private static long stored() throws SQLException {
        try (Connection db = TestDatabase.connect(SANDBOX.database()); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM log_events")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
