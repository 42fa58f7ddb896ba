package com.vivesphere.mq.common.messaging;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.vivesphere.mq.common.codec.FailureReason;
import com.vivesphere.mq.common.codec.InvalidMessageException;
import com.vivesphere.mq.common.codec.MessageCodec;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * The path of every delivery from one queue: size and content checks, decoding, the handler, then exactly
 * one of: ack (handled), dead letter with reason then ack (invalid or failed), or reject to the queue's own
 * dead-letter exchange (the dead-letter copy could not be confirmed). Nothing is dropped and nothing is
 * acked before it is either handled or safely dead-lettered.
 */
public final class Intake<T> {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final String queue;
    private final MessageCodec.Decoder<T> decoder;
    private final int maxBytes;
    private final QueueMetrics metrics;
    private final DeadLetterPublisher deadLetters;

    Intake(String queue, MessageCodec.Decoder<T> decoder, int maxBytes, QueueMetrics metrics,
            DeadLetterPublisher deadLetters) {
        this.queue = queue;
        this.decoder = decoder;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    public String queue() {
        return queue;
    }

    /** Decodes {@code message} and hands it to {@code handler}; completes once the message is settled. */
    public Uni<Void> process(Message<byte[]> message, Function<T, Uni<Void>> handler) {
        long start = System.nanoTime();
        metrics.received();
        T decoded;
        try {
            decoded = decode(message);
        } catch (InvalidMessageException e) {
            return deadLetter(message, e.reason(), e.reason().code(), e.getMessage(), start);
        }
        Uni<Void> handled;
        try {
            handled = handler.apply(decoded);
        } catch (RuntimeException e) {
            handled = Uni.createFrom().failure(e);
        }
        return handled.onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                ? Uni.createFrom().completionStage(message.ack()).invoke(() -> metrics.acked(start))
                : deadLetter(message, FailureReason.PROCESSING_FAILED, failure.getClass().getName(),
                        String.valueOf(failure.getMessage()), start));
    }

    T decode(Message<byte[]> message) throws InvalidMessageException {
        Optional<IncomingRabbitMQMetadata> metadata = message.getMetadata(IncomingRabbitMQMetadata.class);
        byte[] body = message.getPayload();
        if (body.length > maxBytes) {
            throw new InvalidMessageException(FailureReason.OVERSIZED,
                    "body has " + body.length + " bytes, the limit for " + queue + " is " + maxBytes);
        }
        Optional<String> contentType = metadata.flatMap(IncomingRabbitMQMetadata::getContentType);
        if (contentType.isPresent() && !isJson(contentType.get())) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_type '" + contentType.get() + "' is not application/json");
        }
        Optional<String> encoding = metadata.flatMap(IncomingRabbitMQMetadata::getContentEncoding);
        if (encoding.isPresent() && !isPlainEncoding(encoding.get())) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_encoding '" + encoding.get() + "' is not supported, send uncompressed UTF-8 JSON");
        }
        return decoder.decode(body);
    }

    /** Missing content types are accepted (Python producers often omit them); other types are not JSON. */
    static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        String mediaType = (parameters < 0 ? type : type.substring(0, parameters)).trim();
        return mediaType.isEmpty() || mediaType.equals("application/json") || mediaType.equals("text/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    static boolean isPlainEncoding(String encoding) {
        String value = encoding.trim().toLowerCase(Locale.ROOT);
        return value.isEmpty() || value.equals("utf-8") || value.equals("utf8") || value.equals("identity");
    }

    private Uni<Void> deadLetter(Message<byte[]> message, FailureReason reason, String errorType, String detail,
            long start) {
        metrics.failed(reason);
        return deadLetters.publish(message, queue, reason, errorType, detail)
                .onItem().transformToUni(confirmed -> Uni.createFrom().completionStage(message.ack()))
                .invoke(() -> {
                    metrics.deadLettered(reason, start);
                    LOG.warnf("Dead-lettered a message from %s (message_id %s): %s: %s", queue, messageId(message),
                            reason.code(), detail);
                })
                .onFailure().recoverWithUni(publishFailure -> {
                    // No confirmed copy: let the broker dead-letter the original through the queue's own DLX.
                    LOG.errorf(publishFailure, "Could not publish a dead letter for %s; rejecting it to the queue's DLX", queue);
                    return Uni.createFrom().completionStage(
                            message.nack(publishFailure, Metadata.of(new RabbitMQRejectMetadata(false))));
                });
    }

    private static String messageId(Message<byte[]> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class).flatMap(IncomingRabbitMQMetadata::getMessageId)
                .orElse("-");
    }
}
