package com.vivesphere.mq.logconsumer.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.messaging.Intake;
import com.vivesphere.mq.common.messaging.Intakes;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.logconsumer.store.LogBatchWriter;
import com.vivesphere.mq.logconsumer.store.LogEventSink;

/** Consumes both log queues; each message is acked only after its event is stored. */
@ApplicationScoped
public class LogEventListener {

    private static final CompletionStage<Void> STORED = CompletableFuture.completedFuture(null);

    private final Intake<LogEvent> logQueue;
    private final Intake<LogEvent> priorityQueue;
    private final LogEventSink sink;

    public LogEventListener(Intakes intakes, LogConsumerConfig config, LogBatchWriter store) {
        this.logQueue = intakes.create(Topology.LOG_QUEUE, LogEvent.class, config.maxMessageBytes(),
                config.retry().policy());
        this.priorityQueue = intakes.create(Topology.LOG_PRIORITY_QUEUE, LogEvent.class, config.maxMessageBytes(),
                config.retry().policy());
        this.sink = config.storageEnabled() ? store : event -> STORED;
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
