package com.vivesphere.mq.runtime.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Refuses to start a channel on the {@code smallrye-rabbitmq} connector whose prefetch
 * ({@code max-outstanding-messages}) is unset or larger than the buffer in front of the listener. That
 * connector's delivery stream does not honour the listener's requests; a buffer of Mutiny's size
 * ({@code mutiny.buffer-size.s}) takes them over to the event loop, and when more deliveries are
 * outstanding than it holds, a listener that falls behind fails the stream with a
 * {@code BackPressureFailure}: the channel stops consuming for good (smallrye-reactive-messaging#1906,
 * seen here with a prefetch of 1000 while storing). A prefetch within the buffer cannot overflow it.
 *
 * <p>
 * It also refuses such a channel on a sharded queue ({@code queue.shards} above 1): that connector consumes
 * one queue per channel.
 */
@ApplicationScoped
public class SmallRyeChannelGuard {

    static final String CONNECTOR = "smallrye-rabbitmq";
    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String SUFFIX = ".connector";

    private final Config config;

    public SmallRyeChannelGuard(Config config) {
        this.config = config;
    }

    // Before the schema migration starts, as every start-up guard: a refused start says only why.
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event) {
        List<String> problems = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)
                    && CONNECTOR.equals(config.getOptionalValue(name, String.class).orElse(null))) {
                String channel = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                problem(channel, config.getOptionalValue(PREFIX + channel + ".max-outstanding-messages", Integer.class),
                        Infrastructure.getBufferSizeS()).ifPresent(problems::add);
                int shards = config.getOptionalValue(PREFIX + channel + ".queue.shards", Integer.class).orElse(1);
                if (shards > 1) {
                    problems.add("Channel " + channel + " consumes " + shards + " shards, which " + CONNECTOR
                            + " cannot (one queue per channel): put it on vivesphere-rabbitmq-client");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    static Optional<String> problem(String channel, Optional<Integer> prefetch, int buffer) {
        if (prefetch.isPresent() && prefetch.get() >= 1 && prefetch.get() <= buffer) {
            return Optional.empty();
        }
        return Optional.of("Channel " + channel + " on " + CONNECTOR + " needs max-outstanding-messages between 1 and "
                + buffer + " (the connector's stream buffer), not " + prefetch.map(String::valueOf).orElse("unset (no limit)")
                + ": above it, a listener that falls behind fails the stream and the channel stops consuming");
    }
}
