package com.vivesphere.mq.botworker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.botworker.listener.Channels;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnTestVhost;
import com.vivesphere.mq.testing.DocSnippets;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.common.topology.Topology;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** bot-action-worker against the real local broker and PostgreSQL, in a vhost and database of its own, dry run. */
@QuarkusTest
@WithTestResource(TestBrokerAndDatabaseResource.class)
class BotActionWorkerIT extends OnTestVhost {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    private PublishedMessages results;

    @BeforeEach
    void listenForResults() throws Exception {
        results = PublishedMessages.results(connection);
    }

    @AfterEach
    void stopListening() throws Exception {
        results.close();
    }

    @Test
    void actionFromAPlainAmqpClientIsExecutedAndAcked() throws Exception {
        UUID actionId = UUID.randomUUID();
        publish("bot_actions", "like.bot-7", actionId.toString(), "application/json", SampleMessages.likeAction(actionId, "bot-7"));

        JsonNode result = awaitExecution(actionId);
        assertThat(result.get("botId").asText()).isEqualTo("bot-7");
        assertThat(result.get("type").asText()).isEqualTo("LIKE");
        await().atMost(WAIT).untilAsserted(
                () -> assertThat(admin.queue(vhost, Topology.BOT_ACTION_QUEUE).path("messages").asLong(-1)).isZero());
    }

    @Test
    void theDocumentedPythonProducerIsExecuted() throws Exception {
        Map<String, String> env = Map.of("RABBITMQ_HOST", BrokerAdmin.HOST, "RABBITMQ_PORT", String.valueOf(BrokerAdmin.PORT),
                "RABBITMQ_VHOST", vhost, "RABBITMQ_USERNAME", BrokerAdmin.USERNAME, "RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD);

        UUID actionId = UUID.fromString(DocSnippets.runPython("python-action-producer", env).trim());

        assertThat(awaitExecution(actionId).get("type").asText()).isEqualTo("REPLY");
    }

    @Test
    void anActionMissingWhatItsTypeNeedsIsDeadLetteredAndNotExecuted() throws Exception {
        UUID actionId = UUID.randomUUID();
        publish("bot_actions", "reply.bot-7", actionId.toString(), "application/json",
                "{\"schemaVersion\":1,\"actionId\":\"" + actionId + "\",\"botId\":\"bot-7\",\"type\":\"REPLY\",\"text\":\"hi\"}");
        UUID next = UUID.randomUUID();
        publish("", Topology.BOT_ACTION_QUEUE, next.toString(), null, SampleMessages.likeAction(next, "bot-7"));

        awaitExecution(next);
        DeadLetters.Letter letter = await().atMost(WAIT)
                .until(() -> DeadLetters.take(connection, Topology.DEAD_LETTER_QUEUE), Optional::isPresent).get();
        assertThat(letter.messageId()).isEqualTo(actionId.toString());
        assertThat(letter.headers()).containsEntry("x-vs-failure-reason", "schema-invalid")
                .containsEntry("x-vs-original-queue", "bot_action_queue");
        assertThat(letter.headers().get("x-vs-error-message")).contains("targetPostId");
        assertThat(pool.preparedQuery("SELECT 1 FROM bot_action_executions WHERE action_id = $1").execute(Tuple.of(actionId))
                .await().indefinitely().size()).isZero();
    }

    /** The connection that consumes {@code channel}: the application's own one, named after it. */
    protected String consumerConnection(String channel) {
        return "bot-action-worker";
    }

    @Test
    void theQueueIsConsumedThroughTheConfiguredConnector() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(consumerConnections(Topology.BOT_ACTION_QUEUE))
                .containsExactly(consumerConnection(Channels.BOT_ACTIONS)));
    }

    @Test
    void readyAndAlive() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The action's result, once it succeeded (in the test profile's dry run). */
    private JsonNode awaitExecution(UUID actionId) {
        JsonNode result = results.take(actionId, WAIT);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        return result;
    }

    private void publish(String exchange, String routingKey, String messageId, String contentType, String body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(contentType).deliveryMode(2)
                    .messageId(messageId).build();
            channel.basicPublish(exchange, routingKey, true, properties, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }
}
