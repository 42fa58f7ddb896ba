package com.vivesphere.mq.logconsumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.testing.MetricsScrape;
import com.vivesphere.mq.testing.DocSnippets;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.logconsumer.listener.Channels;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** log-consumer against the real local broker, in a vhost of its own; messages come from plain AMQP clients. */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class LogConsumerIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACKED = "vivesphere_messages_acked_total{queue=\"%s\"}";

    @Test
    void eventFromAPlainAmqpClientIsConsumedAndAcked() throws Exception {
        double before = acked(Topology.LOG_QUEUE);
        UUID id = UUID.randomUUID();
        publish("logs", "info.test-service", properties(id.toString(), "application/json"),
                SampleMessages.logEvent(id, "INFO", "hello"));

        await().atMost(WAIT).until(() -> acked(Topology.LOG_QUEUE) == before + 1);
        awaitQueueEmpty(Topology.LOG_QUEUE);
    }

    @Test
    void eventWithoutContentTypeIsProcessed() throws Exception {
        double before = acked(Topology.LOG_QUEUE);
        UUID id = UUID.randomUUID();
        publish("", Topology.LOG_QUEUE, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                SampleMessages.logEvent(id, "DEBUG", "no content type"));

        await().atMost(WAIT).until(() -> acked(Topology.LOG_QUEUE) == before + 1);
    }

    @Test
    void errorEventsTakeThePriorityQueue() throws Exception {
        double before = acked(Topology.LOG_PRIORITY_QUEUE);
        UUID id = UUID.randomUUID();
        publish("logs", "error.test-service", properties(id.toString(), "application/json"),
                SampleMessages.logEvent(id, "ERROR", "boom"));

        await().atMost(WAIT).until(() -> acked(Topology.LOG_PRIORITY_QUEUE) == before + 1);
    }

    @Test
    void theDocumentedPythonProducerIsConsumed() throws Exception {
        double before = acked(Topology.LOG_QUEUE);
        Map<String, String> env = Map.of("RABBITMQ_HOST", BrokerAdmin.HOST, "RABBITMQ_PORT", String.valueOf(BrokerAdmin.PORT),
                "RABBITMQ_VHOST", vhost, "RABBITMQ_USERNAME", BrokerAdmin.USERNAME, "RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD);

        String printedId = DocSnippets.runPython("python-log-producer", env).trim();

        assertThat(UUID.fromString(printedId)).isNotNull();
        await().atMost(WAIT).until(() -> acked(Topology.LOG_QUEUE) == before + 1);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    @Test
    void invalidMessagesAreDeadLetteredWithReasonsAndTheNextValidOneIsProcessed() throws Exception {
        double ackedBefore = acked(Topology.LOG_QUEUE);
        publish("logs", "info.test-service", properties("malformed", "application/json"), "{\"schemaVersion\":1,");
        publish("logs", "info.test-service", properties("schema-invalid", "application/json"),
                "{\"schemaVersion\":1,\"id\":\"" + UUID.randomUUID() + "\",\"service\":\"x\"}");
        publish("logs", "info.test-service", properties("oversized", "application/json"),
                SampleMessages.logEvent(UUID.randomUUID(), "INFO", "x".repeat(300_000)));
        publish("logs", "info.test-service", properties("wrong-type", "text/plain"),
                SampleMessages.logEvent(UUID.randomUUID(), "INFO", "plain"));
        UUID valid = UUID.randomUUID();
        publish("logs", "info.test-service", properties(valid.toString(), "application/json"),
                SampleMessages.logEvent(valid, "INFO", "after the bad ones"));

        await().atMost(WAIT).until(() -> acked(Topology.LOG_QUEUE) == ackedBefore + 1);
        Map<String, DeadLetters.Letter> letters = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE).ifPresent(l -> letters.put(l.messageId(), l));
            return letters.size() == 4;
        });

        assertThat(letters.get("malformed").headers()).containsEntry("x-vs-failure-reason", "malformed-json");
        assertThat(letters.get("schema-invalid").headers()).containsEntry("x-vs-failure-reason", "schema-invalid");
        assertThat(letters.get("schema-invalid").headers().get("x-vs-error-message")).contains("timestamp");
        assertThat(letters.get("oversized").headers()).containsEntry("x-vs-failure-reason", "oversized");
        assertThat(letters.get("wrong-type").headers()).containsEntry("x-vs-failure-reason", "unsupported-content");
        DeadLetters.Letter malformed = letters.get("malformed");
        assertThat(malformed.body()).isEqualTo("{\"schemaVersion\":1,");
        assertThat(malformed.contentType()).isEqualTo("application/json");
        assertThat(malformed.headers()).containsEntry("x-vs-original-queue", "log_queue")
                .containsEntry("x-vs-original-exchange", "logs")
                .containsEntry("x-vs-original-routing-key", "info.test-service")
                .containsEntry("x-vs-failure-class", "permanent")
                .containsEntry("x-vs-attempts", "1")
                .containsKeys("x-vs-first-failure-at", "x-vs-last-failure-at", "x-vs-worker-host", "x-vs-worker-version");
        assertThat(MetricsScrape.value(RestAssured.port,
                "vivesphere_messages_dead_lettered_total{queue=\"log_queue\",reason=\"oversized\"}")).isEqualTo(1);
        awaitQueueEmpty(Topology.LOG_QUEUE);
    }

    /** The connection that consumes {@code channel}: the application's own one, named after it. */
    protected String consumerConnection(String channel) {
        return "log-consumer";
    }

    @Test
    void bothQueuesAreConsumedThroughTheConfiguredConnector() {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(consumerConnections(Topology.LOG_QUEUE)).containsExactly(consumerConnection(Channels.LOG_EVENTS));
            assertThat(consumerConnections(Topology.LOG_PRIORITY_QUEUE))
                    .containsExactly(consumerConnection(Channels.URGENT_LOG_EVENTS));
        });
    }

    @Test
    void readyAndAliveWithTheBrokerReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsExposeTheProcessingHistogram() throws Exception {
        eventFromAPlainAmqpClientIsConsumedAndAcked();
        assertThat(MetricsScrape.scrape(RestAssured.port))
                .contains("vivesphere_message_processing_seconds_bucket{queue=\"log_queue\"")
                .contains("vivesphere_message_end_to_end_seconds_bucket{queue=\"log_queue\"")
                .contains("vivesphere_messages_received_total{queue=\"log_queue\"}");
    }

    private double acked(String queue) {
        return MetricsScrape.value(RestAssured.port, ACKED.formatted(queue));
    }

    /** Ready and unacknowledged both zero (the management API's counts lag by a few seconds). */
    private void awaitQueueEmpty(String queue) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.queue(vhost, queue).path("messages").asLong(-1)).isZero());
    }

    private void publish(String exchange, String routingKey, AMQP.BasicProperties properties, String body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, true, properties, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    private static AMQP.BasicProperties properties(String messageId, String contentType) {
        return new AMQP.BasicProperties.Builder().contentType(contentType).deliveryMode(2).messageId(messageId).build();
    }
}
