package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.Topology;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * PostgreSQL taken away mid-stream (a proxy in front of it is cut): nothing acked, nothing lost; and what
 * waits meanwhile is stored ERROR first.
 */
@QuarkusTest
@WithTestResource(ProxiedDatabase.class)
class DatabaseOutageIT {

    private static final String URGENT_RECEIVED = "vivesphere_messages_received_total{queue=\"log_priority_queue\"}";

    @ConfigProperty(name = "rabbitmq-virtual-host")
    String vhost;

    @Test
    void nothingIsAckedWhileTheDatabaseIsDownAndEverythingIsStoredAfter() throws Exception {
        String service = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        BrokerAdmin admin = new BrokerAdmin();
        try (Connection connection = admin.connect(vhost)) {
            LogTraffic.publish(connection, "info." + service, events(service, 500));
            await().atMost(Duration.ofSeconds(30)).until(() -> LogTraffic.rows("service = '" + service + "'") == 500);
            double ackedBeforeOutage = LogTraffic.acked(Topology.LOG_QUEUE);

            ProxiedDatabase.proxy.stop();
            LogTraffic.publish(connection, "info." + service, events(service, 2_000));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503).body(containsString("postgresql")));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> LogTraffic.acked(Topology.LOG_QUEUE) == ackedBeforeOutage);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(admin.queue(vhost, Topology.LOG_QUEUE).path("messages").asLong(-1)).isEqualTo(2_000));

            ProxiedDatabase.proxy.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> LogTraffic.rows("service = '" + service + "'") == 2_500);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(200).body("status", equalTo("UP")));
            assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
        }
    }

    @Test
    void anErrorIsStoredBeforeTheDebugBacklogThatArrivedFirst() throws Exception {
        String service = "flood-" + UUID.randomUUID().toString().substring(0, 8);
        UUID error = UUID.randomUUID();
        try (Connection connection = new BrokerAdmin().connect(vhost)) {
            // With the database away, a DEBUG backlog builds up in log_queue; then one ERROR arrives.
            ProxiedDatabase.proxy.stop();
            double urgentReceived = MetricsScrape.value(RestAssured.port, URGENT_RECEIVED);
            LogTraffic.publish(connection, "debug." + service, events(service, 30_000, "DEBUG"));
            LogTraffic.publish(connection, "error." + service,
                    List.of(SampleMessages.logEvent(error, "ERROR", "disk full").replace("test-service", service)));
            // The ERROR must be waiting in log-consumer, like the DEBUG events, when the database returns.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> MetricsScrape.value(RestAssured.port, URGENT_RECEIVED) == urgentReceived + 1);
            ProxiedDatabase.proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> LogTraffic.rows("id = '" + error + "'") == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> LogTraffic.rows("service = '" + service + "'") == 30_001);
        }
        // Only the batches already held when the database went away may be stored before the ERROR.
        assertThat(LogTraffic.rows("service = '" + service + "' AND level = 1 AND stored_at < (SELECT stored_at FROM "
                + "log_events WHERE id = '" + error + "')")).isLessThanOrEqualTo(500);
    }

    private static List<String> events(String service, int count) {
        return events(service, count, "INFO");
    }

    private static List<String> events(String service, int count, String level) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(SampleMessages.logEvent(UUID.randomUUID(), level, "event " + i).replace("test-service", service));
        }
        return events;
    }
}
