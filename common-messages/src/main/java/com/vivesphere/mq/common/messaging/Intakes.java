package com.vivesphere.mq.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.common.codec.MessageCodec;

import io.micrometer.core.instrument.MeterRegistry;

/** Creates the {@link Intake} of each consumed queue, with its metrics. */
@ApplicationScoped
public class Intakes {

    private final MessageCodec codec = new MessageCodec();
    private final MeterRegistry registry;
    private final FailureRouter router;

    public Intakes(MeterRegistry registry, FailureRouter router) {
        this.registry = registry;
        this.router = router;
    }

    public <T> Intake<T> create(String queue, Class<T> type, int maxBytes, RetryPolicy retryPolicy) {
        return new Intake<>(queue, codec.decoderFor(type), maxBytes, retryPolicy, new QueueMetrics(registry, queue), router);
    }
}
