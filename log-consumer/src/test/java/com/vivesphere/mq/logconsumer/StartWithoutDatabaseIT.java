package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.SampleMessages;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * log-consumer started while PostgreSQL cannot be reached (a proxy in front of it not yet listening), with
 * events arriving: the writer holds them until the schema is migrated and writes the moment it is, without
 * a database backoff; they are then acked in multiple acks, fewer frames than messages.
 */
@QuarkusTest
@WithTestResource(value = ProxiedDatabase.class, initArgs = @ResourceArg(name = "listening", value = "false"))
class StartWithoutDatabaseIT {

    private static final int EVENTS = 300;
    private static final String RECEIVED = "vivesphere_messages_received_total{queue=\"log_queue\"}";
    private static final String PAUSED_FOR_SCHEMA = "vivesphere_log_store_pauses_total{reason=\"schema-not-migrated\"}";
    private static final String PAUSED_FOR_DATABASE = "vivesphere_log_store_pauses_total{reason=\"database-unavailable\"}";
    private static final String ACK_FRAMES = "vivesphere_rabbitmq_ack_frames_total{queue=\"log_queue\"}";

    @ConfigProperty(name = "rabbitmq-virtual-host")
    String vhost;

    @Test
    void eventsThatArriveBeforeTheSchemaWaitForTheMigrationAndAreAckedInMultipleAcks() throws Exception {
        String service = "early-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(SampleMessages.logEvent(UUID.randomUUID(), "INFO", "event " + i).replace("test-service", service));
        }
        try (Connection connection = new BrokerAdmin().connect(vhost)) {
            LogTraffic.publish(connection, "info." + service, events);

            // Delivered and held by the writer, which waits for the schema: not a database failure.
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(RECEIVED) == EVENTS);
            await().atMost(Duration.ofSeconds(10)).until(() -> metric(PAUSED_FOR_SCHEMA) == 1);
            given().get("/q/health/ready").then().statusCode(503);
            assertThat(LogTraffic.acked(Topology.LOG_QUEUE)).isZero();

            ProxiedDatabase.proxy.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> LogTraffic.rows("service = '" + service + "'") == EVENTS);
            await().atMost(Duration.ofSeconds(10)).until(() -> LogTraffic.acked(Topology.LOG_QUEUE) == EVENTS);
            assertThat(metric(PAUSED_FOR_SCHEMA)).isEqualTo(1);
            assertThat(metric(PAUSED_FOR_DATABASE)).isZero();
            // Acked in multiple acks: fewer frames than messages.
            assertThat(metric(ACK_FRAMES)).isPositive().isLessThan(EVENTS);
            assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
        }
    }

    private static double metric(String series) {
        return MetricsScrape.value(RestAssured.port, series);
    }
}
