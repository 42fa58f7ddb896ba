package com.vivesphere.mq.runtime.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import com.vivesphere.mq.common.topology.Topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;

/**
 * Incoming channels on the RabbitMQ Java client, AMQP 0-9-1 ({@code connector=vivesphere-rabbitmq-client}), beside
 * the Quarkus RabbitMQ extension's {@code smallrye-rabbitmq}: either consumes a channel, by configuration alone
 * (docs/connectors.md). Here a delivery goes straight from the client's consumer thread to the listener,
 * and acks are batched into {@code basic.ack multiple} frames on the delivering channel; the extension hands
 * each delivery and each ack across Vert.x contexts and threads.
 *
 * <p>
 * Metrics: {@code vivesphere_rabbitmq_ack_frames_total{queue}}, the settling frames sent;
 * {@code vivesphere_rabbitmq_consumer_timeouts_total{queue}}, channels the broker closed because a delivery stayed
 * unacknowledged longer than its {@code consumer_timeout} (each one consumes again after a pause).
 *
 * <p>
 * Health: readiness is DOWN while a channel is not consuming (and while stopping); liveness is left UP, a
 * broker outage is not a reason to restart the process.
 */
@ApplicationScoped
@Connector(RabbitMQClientConnector.NAME)
@ConnectorAttribute(name = "queue.name", type = "string", direction = Direction.INCOMING, mandatory = true,
        description = "The queue to consume (declared by the application's topology)")
@ConnectorAttribute(name = "max-outstanding-messages", type = "int", direction = Direction.INCOMING, defaultValue = "250",
        description = "Prefetch: unacknowledged deliveries in flight on this channel (on each shard's AMQP channel)")
@ConnectorAttribute(name = "queue.shards", type = "int", direction = Direction.INCOMING, defaultValue = "1",
        description = "Above 1: consume the queue's shards <queue.name>.0 ... instead of the queue itself, each on its own "
                + "AMQP channel, merged into this one stream")
public class RabbitMQClientConnector implements InboundConnector, HealthReporter {

    public static final String NAME = "vivesphere-rabbitmq-client";

    private static final Logger LOG = Logger.getLogger(RabbitMQClientConnector.class);

    private final BrokerConnection broker;
    private final MeterRegistry registry;
    private final Duration shutdownTimeout;
    private final List<QueueConsumer> consumers = new CopyOnWriteArrayList<>();

    public RabbitMQClientConnector(BrokerConnection broker, MeterRegistry registry,
            @ConfigProperty(name = "vivesphere.rabbitmq.shutdown-timeout", defaultValue = "20s") Duration shutdownTimeout) {
        this.broker = broker;
        this.registry = registry;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Graceful stop (SIGTERM), before anything else stops (the database pools, the broker connection): no
     * new deliveries ({@code basic.cancel} on every channel), then the messages in flight are processed and
     * settled, at most for {@code vivesphere.rabbitmq.shutdown-timeout}, their acks sent, and the channels
     * closed. So a restart gets nothing redelivered that was already done; what is still unsettled at the
     * deadline goes back to its queue.
     */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (consumers.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + shutdownTimeout.toNanos();
        consumers.forEach(consumer -> consumer.stopConsuming(deadline));
        int inFlight = consumers.stream().mapToInt(QueueConsumer::inFlight).sum();
        LOG.infof("Stopping: consumers cancelled, finishing %d message(s) in flight (at most %s)", inFlight, shutdownTimeout);
        int left = consumers.stream().mapToInt(consumer -> consumer.drain(deadline)).sum();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (left == 0) {
            LOG.infof("Stopped consuming: every message in flight settled and acknowledged in %d ms", millis);
        } else {
            LOG.warnf("Stopped consuming after %d ms with %d message(s) still in flight; the broker delivers them again",
                    millis, left);
        }
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        String channel = config.getValue(CHANNEL_NAME_ATTRIBUTE, String.class);
        String queue = config.getValue("queue.name", String.class);
        int prefetch = config.getOptionalValue("max-outstanding-messages", Integer.class).orElse(250);
        if (prefetch < 1) {
            throw new IllegalArgumentException("max-outstanding-messages of channel " + channel + " must be positive");
        }
        int shards = config.getOptionalValue("queue.shards", Integer.class).orElse(1);
        if (shards < 1) {
            throw new IllegalArgumentException("queue.shards of channel " + channel + " must be positive");
        }
        Counter frames = Counter.builder("vivesphere.rabbitmq.ack.frames")
                .description("basic.ack and basic.reject frames sent (one multiple ack settles many messages)")
                .tag("queue", queue).register(registry);
        Counter consumerTimeouts = Counter.builder("vivesphere.rabbitmq.consumer.timeouts")
                .description("Channels closed by the broker's consumer_timeout (a delivery unacknowledged for too long)")
                .tag("queue", queue).register(registry);
        List<Multi<Message<byte[]>>> streams = new ArrayList<>();
        for (String consumed : Topology.shardsOf(queue, shards)) {
            QueueConsumer consumer = new QueueConsumer(shards == 1 ? channel : channel + " " + consumed, consumed, prefetch,
                    broker, frames::increment, consumerTimeouts::increment);
            consumers.add(consumer);
            streams.add(consumer.stream());
        }
        return streams.size() == 1 ? streams.get(0) : Multi.createBy().merging().streams(streams);
    }

    @Override
    public HealthReport getReadiness() {
        HealthReport.HealthReportBuilder report = HealthReport.builder();
        for (QueueConsumer consumer : consumers) {
            boolean ok = broker.isOpen() && consumer.isConsuming();
            report.add(consumer.channelName(), ok, ok ? consumer.state()
                    : "broker " + broker.describe() + ": " + (broker.isOpen() ? consumer.state() : broker.lastError()));
        }
        return report.build();
    }
}
