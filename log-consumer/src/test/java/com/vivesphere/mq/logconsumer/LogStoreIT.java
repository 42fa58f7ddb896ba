package com.vivesphere.mq.logconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.logconsumer.store.PartitionMaintenance;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Storage into the real PostgreSQL from the real broker: exactly once, NUL characters, isolation of refused rows, retention. */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class LogStoreIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @Inject
    PartitionMaintenance maintenance;

    @Test
    void tenThousandEventsAreStoredExactlyOnceEvenWhenDeliveredTwice() throws Exception {
        String service = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            events.add(SampleMessages.logEvent(UUID.randomUUID(), "INFO", "event " + i).replace("test-service", service));
        }
        double ackedBefore = LogTraffic.acked(Topology.LOG_QUEUE);

        LogTraffic.publish(connection, "info." + service, events);
        await().atMost(WAIT).until(() -> LogTraffic.rows("service = '" + service + "'") == 10_000);
        await().atMost(WAIT).until(() -> LogTraffic.acked(Topology.LOG_QUEUE) == ackedBefore + 10_000);

        LogTraffic.publish(connection, "info." + service, events);
        await().atMost(WAIT).until(() -> LogTraffic.acked(Topology.LOG_QUEUE) == ackedBefore + 20_000);
        assertThat(LogTraffic.rows("service = '" + service + "'")).isEqualTo(10_000);
        await().atMost(WAIT).untilAsserted(
                () -> assertThat(admin.queue(vhost, Topology.LOG_QUEUE).path("messages").asLong(-1)).isZero());
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    @Test
    void attributesAreStoredAsTheJsonObjectTheyWereSent() throws Exception {
        String service = "attributes-" + UUID.randomUUID().toString().substring(0, 8);
        // Quotes, a backslash, a control character, non-ASCII and an empty value: everything JSON must escape.
        String attributes = """
                {"quote":"say \\"hi\\"","path":"C:\\\\tmp","lines":"a\\nb","unicode":"zürich ✓ 😀","empty":""}""";
        String event = """
                {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"%s","level":"INFO","message":"m","attributes":%s}"""
                .formatted(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), service, attributes);

        LogTraffic.publish(connection, "info." + service, List.of(event));

        await().atMost(WAIT).until(() -> LogTraffic.rows("service = '" + service + "'") == 1);
        assertThat(LogTraffic.rows("service = '" + service + "' AND attributes = '" + attributes + "'::jsonb")).isEqualTo(1);
    }

    @Test
    void anEventPostgresRefusesIsDeadLetteredAndItsBatchNeighboursAreStored() throws Exception {
        String service = "mixed-" + UUID.randomUUID().toString().substring(0, 8);
        UUID refused = UUID.randomUUID();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(SampleMessages.logEvent(i == 50 ? refused : UUID.randomUUID(), "WARN", i == 50 ? "refuse me" : "ok " + i)
                    .replace("test-service", service));
        }
        // A rule of the database's own (as a DBA could add) that the contract does not know about.
        try (var db = database(); Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE log_events ADD CONSTRAINT test_refused CHECK (message <> 'refuse me') NOT VALID");
        }
        try {
            LogTraffic.publish(connection, "warn." + service, events);

            await().atMost(WAIT).until(() -> LogTraffic.rows("service = '" + service + "'") == 99);
            DeadLetters.Letter letter = await().atMost(WAIT)
                    .until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE), Optional::isPresent).get();
            assertThat(letter.body()).contains(refused.toString());
            assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "storage-rejected");
            assertThat(letter.headers().get("x-vs-error-message")).contains("test_refused");
            assertThat(LogTraffic.rows("id = '" + refused + "'")).isZero();
        } finally {
            try (var db = database(); Statement sql = db.createStatement()) {
                sql.execute("ALTER TABLE log_events DROP CONSTRAINT test_refused");
            }
        }
    }

    @Test
    void nulCharactersAreStoredAsReplacementCharactersWithTheRowFlagged() throws Exception {
        String service = "nul-" + UUID.randomUUID().toString().substring(0, 8);
        UUID withNul = UUID.randomUUID();
        UUID plain = UUID.randomUUID();
        String event = """
                {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"%s","level":"INFO","message":"a\\u0000b",\
                "attributes":{"k\\u0000":"v\\u0000"}}""".formatted(withNul, OffsetDateTime.now(ZoneOffset.UTC), service);

        LogTraffic.publish(connection, "info." + service, List.of(event,
                SampleMessages.logEvent(plain, "INFO", "no nul").replace("test-service", service)));

        await().atMost(WAIT).until(() -> LogTraffic.rows("service = '" + service + "'") == 2);
        assertThat(LogTraffic.rows("id = '" + withNul + "' AND nul_replaced AND message = 'a\uFFFDb' "
                + "AND attributes = '{\"k\uFFFD\": \"v\uFFFD\"}'::jsonb")).isEqualTo(1);
        assertThat(LogTraffic.rows("id = '" + plain + "' AND NOT nul_replaced")).isEqualTo(1);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    @Test
    void retentionDropsWholePartitionsOlderThanTheWindowAndKeepsTheRest() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate old = today.minusDays(30);
        LocalDate lastKept = today.minusDays(7);
        try (var db = database(); Statement sql = db.createStatement()) {
            sql.execute("SELECT log_events_ensure_partition('" + old + "')");
            sql.execute("INSERT INTO log_events (id, event_time, service, level, message) VALUES ('" + UUID.randomUUID()
                    + "', '" + old.atTime(12, 0).atOffset(ZoneOffset.UTC) + "', 'old', 2, 'old event')");
            sql.execute("INSERT INTO log_events (id, event_time, service, level, message) VALUES ('" + UUID.randomUUID()
                    + "', '" + OffsetDateTime.now(ZoneOffset.UTC).minusYears(1) + "', 'ancient', 2, 'in the default partition')");
        }
        assertThat(partitions()).contains(partition(old));

        int dropped = maintenance.run(today).await().atMost(Duration.ofSeconds(30));

        assertThat(dropped).isGreaterThanOrEqualTo(1);
        assertThat(partitions()).doesNotContain(partition(old)).contains(partition(lastKept), partition(today),
                partition(today.plusDays(3)));
        assertThat(LogTraffic.rows("service IN ('old', 'ancient')")).isZero();
    }

    private java.sql.Connection database() throws Exception {
        return TestDatabase.connect(databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
    }

    private List<String> partitions() throws Exception {
        List<String> names = new ArrayList<>();
        try (var db = database(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'log_events'::regclass")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static String partition(LocalDate day) {
        return "log_events_p" + day.toString().replace("-", "");
    }
}
