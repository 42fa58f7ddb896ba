package com.vivesphere.mq.common.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.vivesphere.mq.common.codec.FailureReason;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counters and the processing-time histogram of one consumed queue, created once so the hot path only
 * increments. Prometheus names: {@code vivesphere_messages_received_total}, {@code ..._acked_total},
 * {@code ..._failed_total{reason}}, {@code ..._dead_lettered_total{reason}},
 * {@code vivesphere_message_processing_seconds}.
 */
public final class QueueMetrics {

    private final String queue;
    private final MeterRegistry registry;
    private final Counter received;
    private final Counter acked;
    private final Timer processing;
    private final Map<FailureReason, Counter> failed = new ConcurrentHashMap<>();
    private final Map<FailureReason, Counter> deadLettered = new ConcurrentHashMap<>();

    public QueueMetrics(MeterRegistry registry, String queue) {
        this.queue = queue;
        this.registry = registry;
        this.received = Counter.builder("vivesphere.messages.received").description("Messages delivered to the worker")
                .tag("queue", queue).register(registry);
        this.acked = Counter.builder("vivesphere.messages.acked").description("Messages processed and acknowledged")
                .tag("queue", queue).register(registry);
        this.processing = Timer.builder("vivesphere.message.processing").description("Time from delivery to ack or dead letter")
                .tag("queue", queue).publishPercentileHistogram().register(registry);
    }

    public void received() {
        received.increment();
    }

    public void acked(long startNanos) {
        acked.increment();
        processing.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** A message that failed processing, whatever happened to it next. */
    public void failed(FailureReason reason) {
        failed.computeIfAbsent(reason, r -> counter("vivesphere.messages.failed", "Messages whose processing failed", r))
                .increment();
    }

    public void deadLettered(FailureReason reason, long startNanos) {
        deadLettered.computeIfAbsent(reason,
                r -> counter("vivesphere.messages.dead.lettered", "Messages sent to dead_letter_queue", r)).increment();
        processing.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, FailureReason reason) {
        return Counter.builder(name).description(description).tag("queue", queue).tag("reason", reason.code())
                .register(registry);
    }
}
