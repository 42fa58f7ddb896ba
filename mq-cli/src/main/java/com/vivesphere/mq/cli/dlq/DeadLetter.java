package com.vivesphere.mq.cli.dlq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.vivesphere.mq.common.failure.FailureHeaders;

/**
 * One message of the dead-letter queue, read from either kind of header: a worker's {@code x-vs-*} failure
 * headers, or the broker's {@code x-death} (TTL expiry, rejects, length and delivery limits). When a
 * message carries both (a retry copy the broker dead-lettered later), the more recent death tells why it
 * is here. The broker's latest death is the first {@code x-death} entry (most recent first), not
 * {@code x-first-death-*}: a message that travelled through the delay levels first died there.
 *
 * @param position 1 for the head of the queue
 * @param id {@code message_id}, or {@code sha-} and the start of the body's SHA-256 when there is none
 * @param source {@code worker} or {@code broker}
 * @param failureClass {@code transient}, {@code throttled}, {@code permanent}, {@code expired}, or {@code broker}
 * @param deadLetteredAt when it was dead-lettered, when known
 * @param deliveryCount the quorum queue's {@code x-delivery-count} (returns to the dead-letter queue so far)
 */
public record DeadLetter(long deliveryTag, long position, String id, String source, String originalQueue,
        String originalExchange, String originalRoutingKey, String reason, String failureClass, String errorType,
        String errorMessage, long attempts, Instant deadLetteredAt, long deliveryCount, AMQP.BasicProperties properties,
        byte[] body) {

    public static final String WORKER = "worker";
    public static final String BROKER = "broker";

    public Map<String, Object> headers() {
        Map<String, Object> headers = properties.getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** Time since it was dead-lettered; null when unknown. */
    public Duration age(Instant now) {
        return deadLetteredAt == null ? null : Duration.between(deadLetteredAt, now);
    }

    static DeadLetter of(GetResponse response, long position) {
        AMQP.BasicProperties properties = response.getProps();
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        byte[] body = response.getBody();
        String id = properties.getMessageId() != null && !properties.getMessageId().isBlank() ? properties.getMessageId()
                : "sha-" + sha256(body).substring(0, 12);
        long deliveryCount = FailureHeaders.count(headers, "x-delivery-count");
        long attempts = FailureHeaders.count(headers, FailureHeaders.ATTEMPTS);

        Instant workerAt = instant(headers.get(FailureHeaders.LAST_FAILURE_AT));
        Map<?, ?> death = latestDeath(headers);
        Instant brokerAt = death == null ? null : instant(death.get("time"));
        boolean hasWorker = headers.containsKey(FailureHeaders.REASON);
        boolean hasBroker = death != null || headers.containsKey("x-first-death-reason");
        boolean brokerIsLatest = hasBroker && (!hasWorker || (brokerAt != null && (workerAt == null || brokerAt.isAfter(workerAt))));

        if (brokerIsLatest) {
            String queue = death != null ? text(death.get("queue")) : text(headers.get("x-first-death-queue"));
            String exchange = death != null ? text(death.get("exchange")) : text(headers.get("x-first-death-exchange"));
            String reason = death != null ? text(death.get("reason")) : text(headers.get("x-first-death-reason"));
            String routingKey = death != null && death.get("routing-keys") instanceof List<?> keys && !keys.isEmpty()
                    ? text(keys.get(0)) : null;
            return new DeadLetter(response.getEnvelope().getDeliveryTag(), position, id, BROKER, queue, exchange, routingKey,
                    reason, BROKER, null, "dead-lettered by RabbitMQ from " + queue + " (" + reason + ")", attempts,
                    brokerAt != null ? brokerAt : timestamp(properties), deliveryCount, properties, body);
        }
        if (hasWorker) {
            return new DeadLetter(response.getEnvelope().getDeliveryTag(), position, id, WORKER,
                    text(headers.get(FailureHeaders.ORIGINAL_QUEUE)), text(headers.get(FailureHeaders.ORIGINAL_EXCHANGE)),
                    text(headers.get(FailureHeaders.ORIGINAL_ROUTING_KEY)), text(headers.get(FailureHeaders.REASON)),
                    text(headers.get(FailureHeaders.FAILURE_CLASS)), text(headers.get(FailureHeaders.ERROR_TYPE)),
                    text(headers.get(FailureHeaders.ERROR_MESSAGE)), attempts, workerAt != null ? workerAt : timestamp(properties),
                    deliveryCount, properties, body);
        }
        // Published to the dead-letter exchange or queue by hand: nothing says where it came from.
        return new DeadLetter(response.getEnvelope().getDeliveryTag(), position, id, "unknown", null, null, null, null, null,
                null, null, attempts, timestamp(properties), deliveryCount, properties, body);
    }

    /** The broker's most recent dead-lettering (RabbitMQ keeps x-death most recent first). */
    static Map<?, ?> latestDeath(Map<String, Object> headers) {
        return headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map<?, ?> first
                ? first : null;
    }

    /** A header value as text: AMQP long strings, byte arrays and everything else by {@code toString}. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof LongString || value instanceof String) {
            return value.toString();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return String.valueOf(value);
    }

    static Instant instant(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant timestamp(AMQP.BasicProperties properties) {
        return properties.getTimestamp() == null ? null : properties.getTimestamp().toInstant();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
