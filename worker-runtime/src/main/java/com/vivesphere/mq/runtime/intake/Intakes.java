package com.vivesphere.mq.runtime.intake;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.micrometer.core.instrument.MeterRegistry;

/** Creates the {@link Intake} of each incoming channel, with its metrics. */
@ApplicationScoped
public class Intakes {

    private final MeterRegistry registry;
    private final FailureRouter router;
    private final Config config;

    public Intakes(MeterRegistry registry, FailureRouter router, Config config) {
        this.registry = registry;
        this.router = router;
        this.config = config;
    }

    /**
     * The intake of {@code channel}, whose queue is the one its configuration names ({@code queue.name});
     * {@code messageTime} says what its end-to-end latency is measured from.
     */
    public <T> Intake<T> create(String channel, Class<T> type, MessageTime<T> messageTime, int maxBytes,
            RetryPolicy retryPolicy) {
        String queue = config.getValue("mp.messaging.incoming." + channel + ".queue.name", String.class);
        return Intake.forQueue(queue, type, messageTime, maxBytes, retryPolicy, registry, router);
    }
}
