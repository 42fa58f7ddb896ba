package com.vivesphere.mq.cli;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.Topology;

/** Dead letters as the workers and the broker make them. */
final class DeadLetterFixtures {

    private final Connection connection;

    DeadLetterFixtures(Connection connection) {
        this.connection = connection;
    }

    /** A dead letter as a worker publishes it (FailureRouter's headers), {@code age} after its last failure. */
    String fromWorker(String queue, String reason, String failureClass, String errorType, String errorMessage, Duration age,
            String body) throws Exception {
        String id = UUID.randomUUID().toString();
        Instant failedAt = Instant.now().minus(age);
        Map<String, Object> headers = new HashMap<>();
        headers.put(FailureHeaders.REASON, reason);
        headers.put(FailureHeaders.FAILURE_CLASS, failureClass);
        headers.put(FailureHeaders.ERROR_TYPE, errorType);
        headers.put(FailureHeaders.ERROR_MESSAGE, errorMessage);
        headers.put(FailureHeaders.ORIGINAL_QUEUE, queue);
        headers.put(FailureHeaders.ORIGINAL_EXCHANGE, Topology.LOG_EXCHANGE);
        headers.put(FailureHeaders.ORIGINAL_ROUTING_KEY, "info.test-service");
        headers.put(FailureHeaders.ATTEMPTS, 3L);
        headers.put(FailureHeaders.THROTTLED, 1L);
        headers.put(FailureHeaders.FIRST_FAILURE_AT, failedAt.minusSeconds(60).toString());
        headers.put(FailureHeaders.LAST_FAILURE_AT, failedAt.toString());
        headers.put(FailureHeaders.WORKER_HOST, "worker-1");
        headers.put(FailureHeaders.WORKER_VERSION, "log-consumer/1.0");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", failedAt.toString());
        entry.put("class", failureClass);
        entry.put("reason", reason);
        entry.put("error", errorType);
        entry.put("worker", "worker-1");
        headers.put(FailureHeaders.HISTORY, List.of(entry));
        headers.put("x-custom", "kept");
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.DEAD_LETTER_EXCHANGE, "info.test-service", true,
                    CliTestBase.properties(id, headers).builder().correlationId("corr-" + id).appId("test-app").build(),
                    (body != null ? body : SampleMessages.logEvent(UUID.fromString(id), "INFO", "failed"))
                            .getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
        return id;
    }

    String fromWorker(String queue, String reason, String failureClass) throws Exception {
        return fromWorker(queue, reason, failureClass, "java.io.IOException", "it failed", Duration.ofMinutes(5), null);
    }

    /** A dead letter the broker makes: a message of {@code log_queue} rejected without requeue. */
    String fromBroker() throws Exception {
        String id = UUID.randomUUID().toString();
        long before = DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE);
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", Topology.LOG_QUEUE, true, CliTestBase.properties(id, Map.of("x-custom", "kept")),
                    SampleMessages.logEvent(UUID.fromString(id), "INFO", "rejected").getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            GetResponse response = channel.basicGet(Topology.LOG_QUEUE, false);
            channel.basicReject(response.getEnvelope().getDeliveryTag(), false);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == before + 1);
        return id;
    }
}
