package com.vivesphere.mq.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.common.codec.MessageCodec;

import io.micrometer.core.instrument.MeterRegistry;

/** Creates the {@link Intake} of each consumed queue, with its metrics. */
@ApplicationScoped
public class Intakes {

    private final MessageCodec codec = new MessageCodec();
    private final MeterRegistry registry;
    private final DeadLetterPublisher deadLetters;

    public Intakes(MeterRegistry registry, DeadLetterPublisher deadLetters) {
        this.registry = registry;
        this.deadLetters = deadLetters;
    }

    public <T> Intake<T> create(String queue, Class<T> type, int maxBytes) {
        return new Intake<>(queue, codec.decoderFor(type), maxBytes, new QueueMetrics(registry, queue), deadLetters);
    }
}
