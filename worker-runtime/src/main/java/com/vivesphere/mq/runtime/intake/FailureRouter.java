package com.vivesphere.mq.runtime.intake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.failure.Failure;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.failure.Redactor;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.runtime.rabbitmq.BrokerConnection;
import com.vivesphere.mq.runtime.rabbitmq.Delivery;

/**
 * Sends a copy of a message that cannot be settled by an ack, with {@link FailureHeaders} updated, body and
 * other properties unchanged: back to its queue through the delay levels (a retry, or a message not due
 * yet), or to {@code dlx} (hence {@code dead_letter_queue}). Each returned stage completes when the broker
 * has confirmed the copy; only then may the original be acked.
 */
@Singleton
public class FailureRouter {

    private static final int MAX_ERROR_MESSAGE_LENGTH = 1_000;
    private static final int PERSISTENT = 2;
    private static final List<String> BROKER_DEATH_HEADERS = List.of("x-death", "x-first-death-exchange",
            "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
            "x-last-death-reason");

    private final ConfirmingPublisher publisher;
    private final String workerHost;
    private final String workerVersion;

    @Inject
    public FailureRouter(BrokerConnection broker,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "vivesphere-mq") String applicationName,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String applicationVersion) {
        this(broker.publisher(), hostName(), applicationName + "/" + applicationVersion);
    }

    public FailureRouter(ConfirmingPublisher publisher, String workerHost, String workerVersion) {
        this.publisher = publisher;
        this.workerHost = workerHost;
        this.workerVersion = workerVersion;
    }

    /** A terminal failure of {@code original}, consumed from {@code queue}, after {@code attempts} failed attempts. */
    public CompletionStage<Void> deadLetter(Message<byte[]> original, String queue, Failure failure, long attempts,
            long throttled) {
        Map<String, Object> headers = failureHeaders(original, queue, failure, attempts, throttled);
        String routingKey = String.valueOf(headers.get(FailureHeaders.ORIGINAL_ROUTING_KEY));
        return publisher.publish(Topology.DEAD_LETTER_EXCHANGE, routingKey, copy(original, headers), original.getPayload());
    }

    /** Sends {@code original} back to {@code queue} after {@code delay}, recording {@code failure}. */
    public CompletionStage<Void> retry(Message<byte[]> original, String queue, Failure failure, long attempts,
            long throttled, Duration delay) {
        Map<String, Object> headers = failureHeaders(original, queue, failure, attempts, throttled);
        return publisher.publishDelayed(queue, delay, copy(original, headers), original.getPayload());
    }

    /** Sends {@code original} back to {@code queue} after {@code delay}; not a failure, so nothing is counted. */
    public CompletionStage<Void> defer(Message<byte[]> original, String queue, Duration delay) {
        Map<String, Object> headers = originHeaders(original, queue);
        return publisher.publishDelayed(queue, delay, copy(original, headers), original.getPayload());
    }

    private Map<String, Object> failureHeaders(Message<byte[]> original, String queue, Failure failure, long attempts,
            long throttled) {
        Map<String, Object> headers = originHeaders(original, queue);
        String now = Instant.now().toString();
        String errorMessage = Redactor.redact(failure.message(), MAX_ERROR_MESSAGE_LENGTH);
        headers.put(FailureHeaders.REASON, failure.reason());
        headers.put(FailureHeaders.FAILURE_CLASS, failure.failureClass().code());
        headers.put(FailureHeaders.ERROR_TYPE, failure.errorType());
        headers.put(FailureHeaders.ERROR_MESSAGE, errorMessage);
        headers.putIfAbsent(FailureHeaders.FIRST_FAILURE_AT, now);
        headers.put(FailureHeaders.LAST_FAILURE_AT, now);
        headers.put(FailureHeaders.ATTEMPTS, attempts);
        headers.put(FailureHeaders.THROTTLED, throttled);
        headers.put(FailureHeaders.WORKER_HOST, workerHost);
        headers.put(FailureHeaders.WORKER_VERSION, workerVersion);
        headers.put(FailureHeaders.HISTORY, history(headers.get(FailureHeaders.HISTORY), now, failure));
        return headers;
    }

    /** The original headers, plus where the message was first consumed from (kept from its first trip). */
    private static Map<String, Object> originHeaders(Message<byte[]> original, String queue) {
        Optional<Delivery> delivery = Delivery.of(original);
        Map<String, Object> headers = new HashMap<>(delivery.map(Delivery::headers).orElse(Map.of()));
        // The broker's dead-lettering history of the trip through the delay levels. Left on a copy, it makes the
        // broker see a dead-letter cycle on the next trip through the same level and silently drop the message.
        headers.keySet().removeAll(BROKER_DEATH_HEADERS);
        headers.putIfAbsent(FailureHeaders.ORIGINAL_QUEUE, queue);
        headers.putIfAbsent(FailureHeaders.ORIGINAL_EXCHANGE, delivery.map(Delivery::exchange).orElse(""));
        headers.putIfAbsent(FailureHeaders.ORIGINAL_ROUTING_KEY, delivery.map(Delivery::routingKey).orElse(queue));
        return headers;
    }

    private List<Object> history(Object previous, String now, Failure failure) {
        List<Object> history = new ArrayList<>(previous instanceof List<?> list ? list : List.of());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", now);
        entry.put("class", failure.failureClass().code());
        entry.put("reason", failure.reason());
        entry.put("error", failure.errorType());
        entry.put("worker", workerHost);
        history.add(entry);
        return history.size() > FailureHeaders.HISTORY_LIMIT
                ? new ArrayList<>(history.subList(history.size() - FailureHeaders.HISTORY_LIMIT, history.size()))
                : history;
    }

    private static AMQP.BasicProperties copy(Message<byte[]> original, Map<String, Object> headers) {
        AMQP.BasicProperties properties = Delivery.of(original).map(Delivery::properties)
                .orElseGet(AMQP.BasicProperties::new);
        // A per-message expiration would cut the delay short (the copy would leave its delay level early).
        return properties.builder().headers(headers).deliveryMode(PERSISTENT).expiration(null).build();
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
