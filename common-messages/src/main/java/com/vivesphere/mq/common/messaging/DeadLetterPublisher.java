package com.vivesphere.mq.common.messaging;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.vivesphere.mq.common.codec.FailureReason;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Publishes a copy of a failed message to exchange {@code dlx} (hence {@code dead_letter_queue}) with the
 * {@link FailureHeaders}, body and properties unchanged. The returned {@link Uni} completes when the broker
 * has confirmed the copy; only then may the original be acked. Needs the outgoing channel
 * {@value #CHANNEL} configured with {@code publish-confirms=true}.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String CHANNEL = "dead-letters";
    private static final int MAX_ERROR_MESSAGE_LENGTH = 1_000;

    private final MutinyEmitter<byte[]> emitter;
    private final String workerHost;
    private final String workerVersion;

    public DeadLetterPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "vivesphere-mq") String applicationName,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String applicationVersion) {
        this.emitter = emitter;
        this.workerHost = hostName();
        this.workerVersion = applicationName + "/" + applicationVersion;
    }

    /** A terminal failure of {@code original}, consumed from {@code queue}. */
    public Uni<Void> publish(Message<byte[]> original, String queue, FailureReason reason, String errorType,
            String errorMessage) {
        Optional<IncomingRabbitMQMetadata> incoming = original.getMetadata(IncomingRabbitMQMetadata.class);
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();

        Map<String, Object> headers = new HashMap<>(incoming.map(IncomingRabbitMQMetadata::getHeaders).orElse(Map.of()));
        headers.put(FailureHeaders.REASON, reason.code());
        headers.put(FailureHeaders.FAILURE_CLASS, FailureHeaders.PERMANENT);
        headers.put(FailureHeaders.ERROR_TYPE, errorType);
        headers.put(FailureHeaders.ERROR_MESSAGE, Redactor.redact(errorMessage, MAX_ERROR_MESSAGE_LENGTH));
        headers.put(FailureHeaders.ORIGINAL_QUEUE, queue);
        headers.put(FailureHeaders.ORIGINAL_EXCHANGE, incoming.map(IncomingRabbitMQMetadata::getExchange).orElse(""));
        headers.put(FailureHeaders.ORIGINAL_ROUTING_KEY, incoming.map(IncomingRabbitMQMetadata::getRoutingKey).orElse(queue));
        headers.putIfAbsent(FailureHeaders.FIRST_FAILURE_AT, now);
        headers.put(FailureHeaders.LAST_FAILURE_AT, now);
        headers.put(FailureHeaders.ATTEMPTS, attempts(headers.get(FailureHeaders.ATTEMPTS)) + 1);
        headers.put(FailureHeaders.WORKER_HOST, workerHost);
        headers.put(FailureHeaders.WORKER_VERSION, workerVersion);

        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withHeaders(headers)
                .withRoutingKey(incoming.map(IncomingRabbitMQMetadata::getRoutingKey).orElse(queue))
                .withDeliveryMode(2);
        incoming.ifPresent(in -> {
            in.getContentType().ifPresent(metadata::withContentType);
            in.getContentEncoding().ifPresent(metadata::withContentEncoding);
            in.getMessageId().ifPresent(metadata::withMessageId);
            in.getCorrelationId().ifPresent(metadata::withCorrelationId);
            in.getType().ifPresent(metadata::withType);
            in.getAppId().ifPresent(metadata::withAppId);
            in.getTimestamp(ZoneOffset.UTC).ifPresent(metadata::withTimestamp);
        });
        return emitter.sendMessage(Message.of(original.getPayload(), Metadata.of(metadata.build())));
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
