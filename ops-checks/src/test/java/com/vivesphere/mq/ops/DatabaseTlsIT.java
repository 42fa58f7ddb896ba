package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.AppEnvironment;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.Certificates;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TlsPostgres;

/**
 * PostgreSQL over TLS ({@code VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME}) against an instance of the test's own
 * that takes TLS connections only, its certificate for {@code localhost}: the packaged log-consumer migrates and
 * stores over verified TLS; a CA that did not sign the server's certificate, and a host name the certificate does
 * not name, are refused with the reason in the log and in readiness, and the events published meanwhile wait in
 * their queue until a worker configured right stores them.
 */
class DatabaseTlsIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int EVENTS_PER_REFUSAL = 10;
    private static final BrokerAdmin ADMIN = new BrokerAdmin();
    private static Path work;
    private static Certificates certificates;
    private static TlsPostgres postgres;
    private static String vhost;

    @BeforeAll
    static void provision() throws Exception {
        work = Files.createDirectories(Repo.path("ops-checks/target/database-tls"));
        certificates = Certificates.generate(work);
        postgres = TlsPostgres.start(certificates);
        vhost = ADMIN.createVhost();
    }

    @AfterAll
    static void tearDown() {
        if (vhost != null) {
            ADMIN.deleteVhost(vhost);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void verifyFullMigratesAndStoresOverTls() throws Exception {
        String database = postgres.createDatabase();
        try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, environment("localhost", database, certificates.caCertificate()),
                work.resolve("log-consumer-verified.log"))) {
            app.awaitReady(START);
            publish(20);
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(database) == 20);

            // pg_hba.conf takes only hostssl: the schema being there says the migrations' JDBC connection was TLS too
            assertThat(query(database, "SELECT count(*) FROM flyway_schema_history WHERE success")).isPositive();
            assertThat(query(database, "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                    + "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND s.ssl"))
                    .as("log-consumer's connections on TLS").isPositive();
            assertThat(query(database, "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                    + "WHERE a.datname = current_database() AND NOT s.ssl")).isZero();
        }
    }

    @Test
    void aWrongCaOrHostNameIsRefusedWithTheReasonAndTheEventsWaitInTheQueue() throws Exception {
        String database = postgres.createDatabase();
        assertRefused(environment("localhost", database, certificates.otherCaCertificate()), "log-consumer-wrong-ca.log",
                "PKIX path building failed");
        assertRefused(environment("127.0.0.1", database, certificates.caCertificate()), "log-consumer-wrong-host.log",
                "The hostname 127.0.0.1 could not be verified");
        assertThat(ADMIN.queue(vhost, Topology.DEAD_LETTER_QUEUE).path("messages").asLong()).as("dead-lettered").isZero();

        try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, environment("localhost", database, certificates.caCertificate()),
                work.resolve("log-consumer-fixed.log"))) {
            app.awaitReady(START);
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(database) == 2 * EVENTS_PER_REFUSAL);
        }
    }

    /**
     * Starts log-consumer with {@code env}, checks that it is not ready for {@code reason} and says so in its log,
     * and that the events published then are neither stored nor acknowledged: they wait in log_queue.
     */
    private static void assertRefused(Map<String, String> env, String log, String reason) throws Exception {
        try (PackagedApp app = PackagedApp.start(App.LOG_CONSUMER, env, work.resolve(log))) {
            await().atMost(START).pollInterval(Duration.ofMillis(200))
                    .until(() -> app.status("/q/health/ready") == 503 && app.body("/q/health/ready").contains(reason));
            long waiting = ADMIN.queue(vhost, Topology.LOG_QUEUE).path("messages").asLong();
            assertThat(app.body("/q/health/ready")).as("readiness").contains("schema not migrated");
            await().atMost(Duration.ofSeconds(10)).until(() -> app.log().contains("Database migration failed"));
            assertThat(app.log()).as("log-consumer's log").contains(reason);

            publish(EVENTS_PER_REFUSAL);
            // the management API's counts lag by a few seconds
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ADMIN.queue(vhost, Topology.LOG_QUEUE).path("messages").asLong() == waiting + EVENTS_PER_REFUSAL);
        }
    }

    private static Map<String, String> environment(String host, String database, Path ca) {
        Map<String, String> env = new HashMap<>(AppEnvironment.local(vhost, database));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(host, database));
        env.put("QUARKUS_DATASOURCE_USERNAME", TlsPostgres.USER);
        env.remove("QUARKUS_DATASOURCE_PASSWORD");
        env.put("VIVESPHERE_DATABASE_TLS_CONFIGURATION_NAME", "database");
        env.put("QUARKUS_TLS_DATABASE_TRUST_STORE_PEM_CERTS", ca.toString());
        return env;
    }

    private static void publish(int events) throws Exception {
        try (com.rabbitmq.client.Connection connection = ADMIN.connect(vhost);
                MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(10))) {
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().contentType(MessagePublisher.CONTENT_TYPE)
                    .deliveryMode(2).build();
            for (int i = 0; i < events; i++) {
                publisher.publishRaw(Topology.LOG_EXCHANGE, "info.database-tls", persistent,
                        SampleMessages.logEvent(UUID.randomUUID(), "INFO", "event " + i).getBytes());
            }
            publisher.awaitConfirms();
        }
    }

    private static long stored(String database) throws SQLException {
        return query(database, "SELECT count(*) FROM log_events");
    }

    private static long query(String database, String sql) throws SQLException {
        try (Connection db = postgres.connect(database); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
