package com.vivesphere.mq.runtime.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.failure.Failure;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.failure.FailureReason;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.failure.NotDueYet;
import com.vivesphere.mq.common.failure.Redactor;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.runtime.rabbitmq.Delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * The path of every delivery from one queue: size and content checks, decoding, the handler, then exactly
 * one of: ack (handled); retry copy through the delay levels, then ack (a transient or throttled failure
 * within its budget, or a message not due yet); dead letter with reason, then ack (invalid, permanent,
 * expired, or out of budget); nack with requeue (the retry copy was not confirmed); reject to the queue's
 * own dead-letter exchange (the dead-letter copy was not confirmed). Nothing is dropped and nothing is
 * acked before it is handled or its copy confirmed.
 *
 * <p>
 * A redelivered message (its earlier attempt crashed or lost its connection) first goes back through the
 * delay levels with an attempt counted, so a message that kills the worker cannot loop forever, whatever
 * the queue type.
 *
 * <p>
 * A delivery whose channel closed while it was processed (the broker's {@code consumer_timeout}) is settled no
 * further, whatever its outcome: the broker already put it back and delivers it again. A retry or dead-letter copy
 * of it would be a second copy of the message, and each further timeout would double them again.
 *
 * <p>
 * Plain {@link CompletionStage}s on purpose: this runs once per message and must stay cheap.
 */
public final class Intake<T> {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final String queue;
    private final MessageCodec.Decoder<T> decoder;
    private final MessageTime<T> messageTime;
    private final int maxBytes;
    private final RetryPolicy retryPolicy;
    private final QueueMetrics metrics;
    private final FailureRouter router;

    /** The intake of {@code queue}, decoding {@code type}, with its metrics in {@code registry}. */
    static <T> Intake<T> forQueue(String queue, Class<T> type, MessageTime<T> messageTime, int maxBytes,
            RetryPolicy retryPolicy, MeterRegistry registry, FailureRouter router) {
        return new Intake<>(queue, new MessageCodec().decoderFor(type), messageTime, maxBytes, retryPolicy,
                new QueueMetrics(registry, queue), router);
    }

    private Intake(String queue, MessageCodec.Decoder<T> decoder, MessageTime<T> messageTime, int maxBytes,
            RetryPolicy retryPolicy, QueueMetrics metrics, FailureRouter router) {
        this.queue = queue;
        this.decoder = decoder;
        this.messageTime = messageTime;
        this.maxBytes = maxBytes;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
        this.router = router;
    }

    /**
     * The channel's subscriber (an {@code @Incoming} method returns it): every message is decoded and handed
     * to {@code handler} as it arrives, and settled when the handler's stage completes. It asks for every
     * message at once: the broker's prefetch ({@code max-outstanding-messages}) is the bound on messages in
     * flight, so nothing piles up here. Reactive Messaging hands the stream to a subscriber as it is, where a
     * method per message would cost a few Mutiny stages (each capturing and restoring the thread contexts)
     * for every message.
     */
    public Flow.Subscriber<Message<byte[]>> subscriber(Function<T, CompletionStage<Void>> handler) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Message<byte[]> message) {
                CompletionStage<Void> settled;
                try {
                    settled = settle(message, handler);
                } catch (RuntimeException e) {
                    // Not lost: the broker dead-letters a rejected message through the queue's own DLX.
                    settled = message.nack(e);
                }
                settled.whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "Could not settle a message from %s; the broker redelivers it", queue);
                    }
                });
            }

            @Override
            public void onError(Throwable failure) {
                LOG.errorf(failure, "The stream of %s failed", queue);
            }

            @Override
            public void onComplete() {
                LOG.debugf("The stream of %s completed", queue);
            }
        };
    }

    /** Completes once {@code message} is acked, retried, dead-lettered or rejected. */
    public CompletionStage<Void> settle(Message<byte[]> message, Function<T, CompletionStage<Void>> handler) {
        long start = System.nanoTime();
        metrics.received();
        // Looked up once: each lookup walks the message's metadata.
        Delivery delivery = Delivery.of(message).orElse(null);
        T decoded;
        try {
            decoded = decode(message.getPayload(), delivery);
        } catch (InvalidMessageException e) {
            return failed(message, Failure.invalid(e), start, null);
        }
        Instant since = messageTime.of(decoded, publishedAt(delivery));
        if (delivery != null && delivery.redelivered()) {
            return failed(message, Failure.redelivered(), start, since);
        }
        CompletionStage<Void> handled;
        try {
            handled = handler.apply(decoded);
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        return handled.handle((ignored, failure) -> failure).thenCompose(failure -> {
            if (delivery != null && !delivery.settleable()) {
                return abandoned(message, failure);
            }
            if (failure == null) {
                return message.ack().thenRun(() -> metrics.acked(start, since));
            }
            Throwable cause = Failure.unwrap(failure);
            if (cause instanceof NotDueYet notDue) {
                return defer(message, notDue.dueAt());
            }
            return failed(message, Failure.of(cause), start, since);
        });
    }

    private static Instant publishedAt(Delivery delivery) {
        return delivery == null ? null : delivery.timestamp();
    }

    T decode(byte[] body, Delivery delivery) throws InvalidMessageException {
        if (body.length > maxBytes) {
            throw new InvalidMessageException(FailureReason.OVERSIZED,
                    "body has " + body.length + " bytes, the limit for " + queue + " is " + maxBytes);
        }
        String contentType = delivery == null ? null : delivery.contentType();
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_type '" + contentType + "' is not application/json");
        }
        String encoding = delivery == null ? null : delivery.contentEncoding();
        if (encoding != null && !isPlainEncoding(encoding)) {
            throw new InvalidMessageException(FailureReason.UNSUPPORTED_CONTENT,
                    "content_encoding '" + encoding + "' is not supported, send uncompressed UTF-8 JSON");
        }
        return decoder.decode(body);
    }

    /** Missing content types are accepted (Python producers often omit them); other types are not JSON. */
    static boolean isJson(String contentType) {
        if (contentType.equals("application/json") || contentType.equalsIgnoreCase("application/json")) {
            return true; // the common case first, without allocating (this runs for every message)
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

    private CompletionStage<Void> failed(Message<byte[]> message, Failure failure, long start, Instant since) {
        metrics.failed(failure.reason());
        Map<String, Object> headers = Delivery.of(message).map(Delivery::headers).orElse(Map.of());
        long attempts = FailureHeaders.count(headers, FailureHeaders.ATTEMPTS);
        long throttled = FailureHeaders.count(headers, FailureHeaders.THROTTLED);
        switch (failure.failureClass()) {
            case TRANSIENT -> {
                attempts++;
                if (attempts < retryPolicy.maxAttempts()) {
                    Duration delay = failure.reason().equals(Failure.REDELIVERED) ? Duration.ZERO
                            : retryPolicy.backoff((int) attempts, ThreadLocalRandom.current());
                    return retry(message, failure, attempts, throttled, delay);
                }
            }
            case THROTTLED -> {
                throttled++;
                if (throttled <= retryPolicy.maxThrottledRetries()) {
                    return retry(message, failure, attempts, throttled, untilRetryAt(failure));
                }
            }
            case PERMANENT, EXPIRED -> attempts++;
        }
        return deadLetter(message, failure, attempts, throttled, start, since);
    }

    private static Duration untilRetryAt(Failure failure) {
        Duration until = failure.retryAt() == null ? Duration.ZERO : Duration.between(Instant.now(), failure.retryAt());
        return until.compareTo(RetryPolicy.SHORTEST_DELAY) < 0 ? RetryPolicy.SHORTEST_DELAY : until;
    }

    private CompletionStage<Void> retry(Message<byte[]> message, Failure failure, long attempts, long throttled,
            Duration delay) {
        return router.retry(message, sourceQueue(message), failure, attempts, throttled, delay)
                .thenCompose(confirmed -> message.ack())
                .thenRun(() -> {
                    metrics.retried(failure.failureClass());
                    LOG.debugf("Retrying a message from %s (message_id %s) in %s: %s %s: %s", queue, messageId(message),
                            delay, failure.failureClass().code(), failure.reason(), failure.message());
                })
                .exceptionallyCompose(publishFailure -> requeue(message, publishFailure));
    }

    private CompletionStage<Void> defer(Message<byte[]> message, Instant dueAt) {
        Duration delay = Duration.between(Instant.now(), dueAt);
        // Longer than the delay levels reach: come back at their limit and wait again.
        Duration step = delay.compareTo(DelayLevels.MAX_DELAY) > 0 ? DelayLevels.MAX_DELAY : delay;
        return router.defer(message, sourceQueue(message), step)
                .thenCompose(confirmed -> message.ack())
                .thenRun(metrics::deferred)
                .exceptionallyCompose(publishFailure -> requeue(message, publishFailure));
    }

    private CompletionStage<Void> abandoned(Message<byte[]> message, Throwable failure) {
        metrics.abandoned();
        LOG.debugf("Not settling a message from %s (message_id %s, %s): its channel closed meanwhile, the broker delivers "
                + "it again", queue, messageId(message), failure == null ? "handled" : Failure.unwrap(failure).toString());
        return CompletableFuture.completedFuture(null);
    }

    /** No confirmed copy: put the original back; its redelivery counts as an attempt, so this cannot loop forever. */
    private CompletionStage<Void> requeue(Message<byte[]> message, Throwable publishFailure) {
        LOG.errorf("Could not republish a message from %s through the delay levels (%s); requeueing it", queue,
                publishFailure.toString());
        return message.nack(publishFailure, Metadata.of(new RabbitMQRejectMetadata(true)));
    }

    private CompletionStage<Void> deadLetter(Message<byte[]> message, Failure failure, long attempts, long throttled,
            long start, Instant since) {
        return router.deadLetter(message, sourceQueue(message), failure, attempts, throttled)
                .thenCompose(confirmed -> message.ack())
                .thenRun(() -> {
                    metrics.deadLettered(failure.reason(), start, since);
                    LOG.warnf("Dead-lettered a message from %s (message_id %s) after %d attempt(s): %s %s: %s", queue,
                            messageId(message), attempts, failure.failureClass().code(), failure.reason(),
                            Redactor.redact(failure.message(), 500));
                })
                .exceptionallyCompose(publishFailure -> {
                    // No confirmed copy: let the broker dead-letter the original through the queue's own DLX.
                    LOG.errorf(publishFailure, "Could not publish a dead letter for %s; rejecting it to the queue's DLX", queue);
                    return message.nack(publishFailure);
                });
    }

    /** The queue it was consumed from: a shard, when the channel consumes several; else the channel's queue. */
    private String sourceQueue(Message<byte[]> message) {
        return Delivery.of(message).flatMap(Delivery::queue).orElse(queue);
    }

    private static String messageId(Message<byte[]> message) {
        return Delivery.of(message).flatMap(Delivery::messageId).orElse("-");
    }
}
