package com.vivesphere.mq.bench;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;

/** Publishes log events sized like real ones (about 500 bytes of JSON), each with its own id and trace id. */
final class Backlog {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final int CONFIRM_WINDOW = 5_000;

    private Backlog() {
    }

    static byte[] event(String service, LogLevel level, OffsetDateTime time) {
        LogEvent event = new LogEvent(LogEvent.SCHEMA_VERSION, UUID.randomUUID(), time, service, level,
                "GET /api/v1/bots/42/actions 200 in 12 ms user=someone@example.com request_id=" + UUID.randomUUID()
                        + " upstream=bot-manager-7d9f cache=miss",
                // A trace per request, as a traced service sends them.
                "http.access", UUID.randomUUID().toString().replace("-", ""), "00f067aa0ba902b7",
                Map.of("region", "eu-west-1", "pod", "web-7d9f", "method", "GET", "status", "200"));
        return CODEC.encode(event);
    }

    /** Publishes {@code count} events to {@code log_queue} through exchange {@code logs}, with confirms. */
    static void publish(Connection connection, String service, int count) throws IOException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                channel.basicPublish(Topology.LOG_EXCHANGE, "info." + service, false, properties(),
                        event(service, LogLevel.INFO, OffsetDateTime.now(ZoneOffset.UTC)));
                if ((i + 1) % CONFIRM_WINDOW == 0) {
                    channel.waitForConfirmsOrDie(60_000);
                }
            }
            channel.waitForConfirmsOrDie(60_000);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    static AMQP.BasicProperties properties() {
        return new AMQP.BasicProperties.Builder().contentType(MessagePublisher.CONTENT_TYPE).deliveryMode(2)
                .type(LogEvent.MESSAGE_TYPE).build();
    }

    /**
     * Messages ready in {@code queue}; poll through one channel (opening one per poll costs the broker CPU).
     * A busy quorum queue's leader that does not answer the count in time makes RabbitMQ 3.10 report 0:
     * callers treat 0 as "unknown" while messages must still be there.
     */
    static long ready(Channel channel, String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }
}
