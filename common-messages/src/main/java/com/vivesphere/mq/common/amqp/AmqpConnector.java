package com.vivesphere.mq.common.amqp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;

/**
 * Incoming channels on the RabbitMQ Java client ({@code connector=vivesphere-amqp}). It replaces the
 * SmallRye RabbitMQ connector, which drained a backlog at about a quarter of the rate of RabbitMQ PerfTest
 * on the same broker (README, Benchmarks): every delivery and ack there crosses Vert.x contexts and worker
 * threads. Here a delivery goes straight from the client's consumer thread to the listener, and an ack is
 * one frame written on the delivering channel.
 *
 * <p>
 * Health: readiness is DOWN while a channel is not consuming; liveness is left UP, a broker outage is not a
 * reason to restart the process.
 */
@ApplicationScoped
@Connector(AmqpConnector.NAME)
@ConnectorAttribute(name = "queue.name", type = "string", direction = Direction.INCOMING, mandatory = true,
        description = "The queue to consume (declared by the application's topology)")
@ConnectorAttribute(name = "max-outstanding-messages", type = "int", direction = Direction.INCOMING, defaultValue = "250",
        description = "Prefetch: unacknowledged deliveries in flight on this channel")
public class AmqpConnector implements InboundConnector, HealthReporter {

    public static final String NAME = "vivesphere-amqp";

    private final BrokerConnection broker;
    private final List<QueueConsumer> consumers = new CopyOnWriteArrayList<>();

    public AmqpConnector(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        String channel = config.getValue(CHANNEL_NAME_ATTRIBUTE, String.class);
        String queue = config.getValue("queue.name", String.class);
        int prefetch = config.getOptionalValue("max-outstanding-messages", Integer.class).orElse(250);
        if (prefetch < 1) {
            throw new IllegalArgumentException("max-outstanding-messages of channel " + channel + " must be positive");
        }
        QueueConsumer consumer = new QueueConsumer(channel, queue, prefetch, broker);
        consumers.add(consumer);
        return consumer.stream();
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
