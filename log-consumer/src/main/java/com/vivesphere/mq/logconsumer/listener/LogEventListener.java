package com.vivesphere.mq.logconsumer.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.logconsumer.store.LogBatchWriter;
import com.vivesphere.mq.logconsumer.store.LogEventSink;
import com.vivesphere.mq.runtime.intake.Intake;
import com.vivesphere.mq.runtime.intake.Intakes;
import com.vivesphere.mq.runtime.intake.MessageTime;

import io.quarkus.runtime.StartupEvent;

/** Consumes both log queues; each message is acked only after its event is stored. */
@ApplicationScoped
public class LogEventListener {

    private static final Logger LOG = Logger.getLogger(LogEventListener.class);
    private static final CompletionStage<Void> STORED = CompletableFuture.completedFuture(null);

    /** End-to-end latency counts from the event's own timestamp. */
    private static final MessageTime<LogEvent> EVENT_TIME = (event, publishedAt) -> event.timestamp().toInstant();

    private final Intake<LogEvent> logQueue;
    private final Intake<LogEvent> priorityQueue;
    private final LogEventSink sink;

    public LogEventListener(Intakes intakes, LogConsumerConfig config, LogBatchWriter store) {
        this.logQueue = intakes.create(Channels.LOG_EVENTS, LogEvent.class, EVENT_TIME, config.maxMessageBytes(),
                config.retry().policy());
        this.priorityQueue = intakes.create(Channels.URGENT_LOG_EVENTS, LogEvent.class, EVENT_TIME, config.maxMessageBytes(),
                config.retry().policy());
        this.sink = config.storageEnabled() ? store : withoutStoring(config);
    }

    /** A start-up guard: before anything else starts (the schema migration included), so a refused start says only why. */
    static void refuseUnallowedAcksWithoutStoring(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event, LogConsumerConfig config) {
        if (!config.storageEnabled() && !config.allowStorageDisabled()) {
            throw new IllegalStateException("LOG_CONSUMER_STORAGE_ENABLED=false would acknowledge every log event without "
                    + "storing it; set it to true, or LOG_CONSUMER_ALLOW_STORAGE_DISABLED=true if that is really wanted");
        }
    }

    private static LogEventSink withoutStoring(LogConsumerConfig config) {
        LOG.warn("LOG_CONSUMER_STORAGE_ENABLED=false: log events are acknowledged and not stored");
        return event -> STORED;
    }

    @Incoming(Channels.LOG_EVENTS)
    public Flow.Subscriber<Message<byte[]>> logEvents() {
        return logQueue.subscriber(sink::store);
    }

    @Incoming(Channels.URGENT_LOG_EVENTS)
    public Flow.Subscriber<Message<byte[]>> urgentLogEvents() {
        return priorityQueue.subscriber(sink::store);
    }
}
