package com.vivesphere.mq.runtime.intake;

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
 * {@code ..._deferred_total},
 * {@code vivesphere_message_processing_seconds}.
 */
public final class QueueMetrics {

    private final String queue;
    private final MeterRegistry registry;
    private final Counter received;
    private final Counter acked;
    private final Timer processing;
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<FailureClass, Counter> retried = new EnumMap<>(FailureClass.class);
    private final Counter deferred;

    public QueueMetrics(MeterRegistry registry, String queue) {
        this.queue = queue;
        this.registry = registry;
        this.received = Counter.builder("vivesphere.messages.received").description("Messages delivered to the worker")
                .tag("queue", queue).register(registry);
        this.acked = Counter.builder("vivesphere.messages.acked").description("Messages processed and acknowledged")
                .tag("queue", queue).register(registry);
        this.processing = Timer.builder("vivesphere.message.processing").description("Time from delivery to ack or dead letter")
                .tag("queue", queue).publishPercentileHistogram().register(registry);
        for (FailureClass retriedClass : List.of(FailureClass.TRANSIENT, FailureClass.THROTTLED)) {
            retried.put(retriedClass, Counter.builder("vivesphere.messages.retried")
                    .description("Messages sent back through the delay levels after a failure").tag("queue", queue)
                    .tag("class", retriedClass.code()).register(registry));
        }
        this.deferred = Counter.builder("vivesphere.messages.deferred")
                .description("Messages that arrived before they were due and were delayed again").tag("queue", queue)
                .register(registry);
    }

    public void received() {
        received.increment();
    }

    public void acked(long startNanos) {
        acked.increment();
        processing.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
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

    public void deadLettered(String reason, long startNanos) {
        deadLettered.computeIfAbsent(reason,
                r -> counter("vivesphere.messages.dead.lettered", "Messages sent to dead_letter_queue", r)).increment();
        processing.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, String reason) {
        return Counter.builder(name).description(description).tag("queue", queue).tag("reason", reason)
                .register(registry);
    }
}
