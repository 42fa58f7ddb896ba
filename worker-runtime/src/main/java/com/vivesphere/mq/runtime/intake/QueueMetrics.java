package com.vivesphere.mq.runtime.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.vivesphere.mq.common.failure.FailureClass;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counters and the processing-time histogram of one consumed queue, created once so the hot path only
 * increments. Prometheus names: {@code vivesphere_messages_received_total}, {@code ..._acked_total},
 * {@code ..._failed_total{reason}}, {@code ..._dead_lettered_total{reason}}, {@code ..._retried_total{class}},
 * {@code ..._deferred_total}, {@code ..._abandoned_total} (their channel closed before they were settled),
 * {@code vivesphere_message_processing_seconds} (delivery to settlement) and
 * {@code vivesphere_message_end_to_end_seconds} (the message's own time to settlement, see {@link MessageTime}).
 */
public final class QueueMetrics {

    /**
     * End-to-end buckets from 1 ms to 1 h, about three per decade: a quantile is resolved within a factor of 2.5,
     * without the many more buckets a percentile histogram over that range would publish for every queue.
     */
    static final Duration[] END_TO_END_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1) };

    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private final String queue;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer endToEnd;
    private final Counter received;
    private final Counter acked;
    private final Timer processing;
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<FailureClass, Counter> retried = new EnumMap<>(FailureClass.class);
    private final Counter deferred;
    private final Counter abandoned;

    public QueueMetrics(MeterRegistry registry, String queue) {
        this(registry, queue, Clock.systemUTC());
    }

    QueueMetrics(MeterRegistry registry, String queue, Clock clock) {
        this.queue = queue;
        this.registry = registry;
        this.clock = clock;
        this.received = Counter.builder("vivesphere.messages.received").description("Messages delivered to the worker")
                .tag("queue", queue).register(registry);
        this.acked = Counter.builder("vivesphere.messages.acked").description("Messages processed and acknowledged")
                .tag("queue", queue).register(registry);
        this.processing = Timer.builder("vivesphere.message.processing").description("Time from delivery to ack or dead letter")
                .tag("queue", queue).publishPercentileHistogram().register(registry);
        this.endToEnd = Timer.builder("vivesphere.message.end.to.end")
                .description("Time from the message's own timestamp (or when it was due) to ack or dead letter")
                .tag("queue", queue).serviceLevelObjectives(END_TO_END_BUCKETS).register(registry);
        for (FailureClass retriedClass : List.of(FailureClass.TRANSIENT, FailureClass.THROTTLED)) {
            retried.put(retriedClass, Counter.builder("vivesphere.messages.retried")
                    .description("Messages sent back through the delay levels after a failure").tag("queue", queue)
                    .tag("class", retriedClass.code()).register(registry));
        }
        this.deferred = Counter.builder("vivesphere.messages.deferred")
                .description("Messages that arrived before they were due and were delayed again").tag("queue", queue)
                .register(registry);
        this.abandoned = Counter.builder("vivesphere.messages.abandoned")
                .description("Messages whose channel closed before they were settled; the broker delivers them again")
                .tag("queue", queue).register(registry);
    }

    public void received() {
        received.increment();
    }

    /** {@code messageTime}: see {@link MessageTime}; null records no end-to-end time. */
    public void acked(long startNanos, Instant messageTime) {
        acked.increment();
        settled(startNanos, messageTime);
    }

    /** A message that failed processing, whatever happened to it next. */
    public void failed(String reason) {
        failed.computeIfAbsent(reason, r -> counter("vivesphere.messages.failed", "Messages whose processing failed", r))
                .increment();
    }

    public void retried(FailureClass failureClass) {
        retried.get(failureClass).increment();
    }

    public void deferred() {
        deferred.increment();
    }

    public void abandoned() {
        abandoned.increment();
    }

    public void deadLettered(String reason, long startNanos, Instant messageTime) {
        deadLettered.computeIfAbsent(reason,
                r -> counter("vivesphere.messages.dead.lettered", "Messages sent to dead_letter_queue", r)).increment();
        settled(startNanos, messageTime);
    }

    private void settled(long startNanos, Instant messageTime) {
        processing.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (messageTime != null) {
            // A producer's clock ahead of ours gives a time in the future: counted as no wait, never negative; a
            // time centuries back would overflow the timer's nanoseconds: it lands in the +Inf bucket instead.
            Duration wait = Duration.between(messageTime, clock.instant());
            endToEnd.record(wait.isNegative() ? Duration.ZERO : wait.compareTo(LONGEST) > 0 ? LONGEST : wait);
        }
    }

    private Counter counter(String name, String description, String reason) {
        return Counter.builder(name).description(description).tag("queue", queue).tag("reason", reason)
                .register(registry);
    }
}
