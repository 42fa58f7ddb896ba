package com.vivesphere.mq.logconsumer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.testing.TestDatabase;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Making a day's partition while events of that day are being written into the default partition: the write
 * that is in progress waits or is moved, never breaks the partition (the app's own schema, migrated at start).
 */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class PartitionMaintenanceIT {

    @Test
    void anEventOfTheDayWrittenDuringTheMoveEndsInTheNewPartition() throws Exception {
        // a day no maintenance makes: its events go to the default partition until the function runs
        LocalDate day = LocalDate.of(2001, 1, 1).plusDays(Math.floorMod(UUID.randomUUID().hashCode(), 3000));
        String partition = "log_events_p" + day.toString().replace("-", "");
        try (Connection writer = connect(); Connection maintenance = connect()) {
            awaitMigrated(maintenance);
            insert(writer, day, "before");
            writer.setAutoCommit(false);
            insert(writer, day, "during"); // uncommitted while the partition is made
            CompletableFuture<Boolean> made = CompletableFuture.supplyAsync(() -> ensurePartition(maintenance, day));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock(day));
            writer.commit();

            assertThat(made.get()).as("the partition was made").isTrue();
            assertThat(count(maintenance, partition)).isEqualTo(2);
            assertThat(count(maintenance, "log_events_default WHERE event_time::date = '" + day + "'")).isZero();
        }
    }

    private static Connection connect() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
        return TestDatabase.connect(url.substring(url.lastIndexOf('/') + 1));
    }

    private static void awaitMigrated(Connection connection) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> count(connection, "log_events") >= 0);
    }

    private static void insert(Connection connection, LocalDate day, String message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO log_events (id, event_time, service, level, message)"
                + " VALUES (?, ?::date + time '12:00' AT TIME ZONE 'UTC', 'partition-test', 2, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, day.toString());
            insert.setString(3, message);
            insert.executeUpdate();
        }
    }

    private static boolean ensurePartition(Connection connection, LocalDate day) {
        try (PreparedStatement call = connection.prepareStatement("SELECT log_events_ensure_partition(?::date)")) {
            call.setString(1, day.toString());
            try (ResultSet result = call.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The maintenance call is blocked by the writer's open transaction. */
    private static boolean waitingForALock(LocalDate day) throws SQLException {
        try (Connection observer = connect(); Statement statement = observer.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE '%log_events_ensure_partition%' AND datname = current_database()")) {
            result.next();
            return result.getLong(1) > 0;
        }
    }

    private static long count(Connection connection, String from) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + from)) {
            result.next();
            return result.getLong(1);
        }
    }
}
