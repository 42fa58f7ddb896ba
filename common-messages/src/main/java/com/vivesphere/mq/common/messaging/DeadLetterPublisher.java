package com.vivesphere.mq.common.messaging;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.amqp.AmqpDelivery;
import com.vivesphere.mq.common.amqp.BrokerConnection;
import com.vivesphere.mq.common.codec.FailureReason;
import com.vivesphere.mq.common.topology.Topology;


/**
 * Publishes a copy of a failed message to exchange {@code dlx} (hence {@code dead_letter_queue}) with the
 * {@link FailureHeaders}, body and properties unchanged. The returned stage completes when the broker
 * has confirmed the copy; only then may the original be acked.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final int MAX_ERROR_MESSAGE_LENGTH = 1_000;
    private static final int PERSISTENT = 2;

    private final BrokerConnection broker;
    private final String workerHost;
    private final String workerVersion;

    public DeadLetterPublisher(BrokerConnection broker,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "vivesphere-mq") String applicationName,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String applicationVersion) {
        this.broker = broker;
        this.workerHost = hostName();
        this.workerVersion = applicationName + "/" + applicationVersion;
    }

    /** A terminal failure of {@code original}, consumed from {@code queue}. */
    public CompletionStage<Void> publish(Message<byte[]> original, String queue, FailureReason reason, String errorType,
            String errorMessage) {
        Optional<AmqpDelivery> delivery = original.getMetadata(AmqpDelivery.class);
        AMQP.BasicProperties properties = delivery.map(AmqpDelivery::properties).orElseGet(AMQP.BasicProperties::new);
        String routingKey = delivery.map(AmqpDelivery::routingKey).orElse(queue);
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();

        Map<String, Object> headers = new HashMap<>(delivery.map(AmqpDelivery::headers).orElse(Map.of()));
        headers.put(FailureHeaders.REASON, reason.code());
        headers.put(FailureHeaders.FAILURE_CLASS, FailureHeaders.PERMANENT);
        headers.put(FailureHeaders.ERROR_TYPE, errorType);
        headers.put(FailureHeaders.ERROR_MESSAGE, Redactor.redact(errorMessage, MAX_ERROR_MESSAGE_LENGTH));
        headers.put(FailureHeaders.ORIGINAL_QUEUE, queue);
        headers.put(FailureHeaders.ORIGINAL_EXCHANGE, delivery.map(AmqpDelivery::exchange).orElse(""));
        headers.put(FailureHeaders.ORIGINAL_ROUTING_KEY, routingKey);
        headers.putIfAbsent(FailureHeaders.FIRST_FAILURE_AT, now);
        headers.put(FailureHeaders.LAST_FAILURE_AT, now);
        headers.put(FailureHeaders.ATTEMPTS, attempts(headers.get(FailureHeaders.ATTEMPTS)) + 1);
        headers.put(FailureHeaders.WORKER_HOST, workerHost);
        headers.put(FailureHeaders.WORKER_VERSION, workerVersion);

        AMQP.BasicProperties copy = properties.builder().headers(headers).deliveryMode(PERSISTENT).build();
        return broker.publisher().publish(Topology.DEAD_LETTER_EXCHANGE, routingKey, copy, original.getPayload());
    }

    private static long attempts(Object header) {
        return header instanceof Number number ? number.longValue() : 0;
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
