package com.vivesphere.mq.common.messaging;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.vivesphere.mq.common.amqp.AmqpDelivery;
import com.vivesphere.mq.common.codec.FailureReason;
import com.vivesphere.mq.common.codec.InvalidMessageException;
import com.vivesphere.mq.common.codec.MessageCodec;

/**
 * The path of every delivery from one queue: size and content checks, decoding, the handler, then exactly
 * one of: ack (handled), dead letter with reason then ack (invalid or failed), or reject to the queue's own
 * dead-letter exchange (the dead-letter copy could not be confirmed). Nothing is dropped and nothing is
 * acked before it is either handled or safely dead-lettered.
 *
 * <p>
 * Plain {@link CompletionStage}s on purpose: this runs once per message and must stay cheap.
 */
public final class Intake<T> {

    private static final Logger LOG = Logger.getLogger(Intake.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

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

    /**
     * Decodes {@code message} and hands it to {@code handler}. Returns at once, before the message is
     * settled: the channel feeds a listener one message at a time, so waiting here would allow one message
     * in flight. The prefetch ({@code max-outstanding-messages}) bounds how many are in flight.
     */
    public CompletionStage<Void> process(Message<byte[]> message, Function<T, CompletionStage<Void>> handler) {
        settle(message, handler).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "Could not settle a message from %s; the broker redelivers it", queue);
            }
        });
        return DONE;
    }

    /** Completes once {@code message} is acked, dead-lettered or rejected. */
    CompletionStage<Void> settle(Message<byte[]> message, Function<T, CompletionStage<Void>> handler) {
        long start = System.nanoTime();
        metrics.received();
        T decoded;
        try {
            decoded = decode(message);
        } catch (InvalidMessageException e) {
            return deadLetter(message, e.reason(), e.reason().code(), e.getMessage(), start);
        }
        CompletionStage<Void> handled;
        try {
            handled = handler.apply(decoded);
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        return handled.handle((ignored, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return message.ack().thenRun(() -> metrics.acked(start));
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof InvalidMessageException invalid) {
                return deadLetter(message, invalid.reason(), invalid.reason().code(), invalid.getMessage(), start);
            }
            return deadLetter(message, FailureReason.PROCESSING_FAILED, cause.getClass().getName(),
                    String.valueOf(cause.getMessage()), start);
        });
    }

    T decode(Message<byte[]> message) throws InvalidMessageException {
        Optional<AmqpDelivery> metadata = message.getMetadata(AmqpDelivery.class);
        byte[] body = message.getPayload();
        if (body.length > maxBytes) {
            throw new InvalidMessageException(FailureReason.OVERSIZED,
                    "body has " + body.length + " bytes, the limit for " + queue + " is " + maxBytes);
        }
        Optional<String> contentType = metadata.flatMap(AmqpDelivery::contentType);
        if (contentType.isPresent() && !isJson(contentType.get())) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_type '" + contentType.get() + "' is not application/json");
        }
        Optional<String> encoding = metadata.flatMap(AmqpDelivery::contentEncoding);
        if (encoding.isPresent() && !isPlainEncoding(encoding.get())) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_encoding '" + encoding.get() + "' is not supported, send uncompressed UTF-8 JSON");
        }
        return decoder.decode(body);
    }

    /** Missing content types are accepted (Python producers often omit them); other types are not JSON. */
    static boolean isJson(String contentType) {
        if (contentType.equalsIgnoreCase("application/json")) {
            return true; // the common case, without allocating (this runs for every message)
        }
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

    private CompletionStage<Void> deadLetter(Message<byte[]> message, FailureReason reason, String errorType, String detail,
            long start) {
        metrics.failed(reason);
        return deadLetters.publish(message, queue, reason, errorType, detail)
                .thenCompose(confirmed -> message.ack())
                .thenRun(() -> {
                    metrics.deadLettered(reason, start);
                    LOG.warnf("Dead-lettered a message from %s (message_id %s): %s: %s", queue, messageId(message),
                            reason.code(), detail);
                })
                .exceptionallyCompose(publishFailure -> {
                    // No confirmed copy: let the broker dead-letter the original through the queue's own DLX.
                    LOG.errorf(publishFailure, "Could not publish a dead letter for %s; rejecting it to the queue's DLX", queue);
                    return message.nack(publishFailure);
                });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private static String messageId(Message<byte[]> message) {
        return message.getMetadata(AmqpDelivery.class).flatMap(AmqpDelivery::messageId).orElse("-");
    }
}
