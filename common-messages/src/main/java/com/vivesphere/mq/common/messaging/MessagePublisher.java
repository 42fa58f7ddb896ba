package com.vivesphere.mq.common.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;

/**
 * Publishes {@link LogEvent}s and {@link BotAction}s the documented way (exchange and routing key, JSON,
 * persistent, {@code message_id}, {@code type}, {@code timestamp}) and waits for the broker's publisher
 * confirms, so a returned call means the broker has the message. Unroutable messages fail (mandatory).
 * For Java services and tools; one instance per thread (AMQP channels are not thread-safe).
 */
public final class MessagePublisher implements AutoCloseable {

    public static final String CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private final Channel channel;
    private final MessageCodec codec = new MessageCodec();
    private final Duration confirmTimeout;
    private volatile String unroutable;

    public MessagePublisher(Connection connection, Duration confirmTimeout) throws IOException {
        this.channel = connection.createChannel();
        this.confirmTimeout = confirmTimeout;
        channel.confirmSelect();
        channel.addReturnListener(r -> unroutable = r.getExchange() + "/" + r.getRoutingKey() + ": " + r.getReplyText());
    }

    public void publish(LogEvent event) throws IOException {
        send(event);
        awaitConfirms();
    }

    public void publish(BotAction action) throws IOException {
        send(action);
        awaitConfirms();
    }

    /** Publishes {@code action} so that it reaches {@code bot_action_queue} after {@code delay} (whole seconds, rounded up). */
    public void publish(BotAction action, Duration delay) throws IOException {
        publishRawDelayed(Topology.BOT_ACTION_QUEUE, delay,
                properties(action.actionId().toString(), BotAction.MESSAGE_TYPE), codec.encode(action));
        awaitConfirms();
    }

    /** Publishes {@code action} so that it reaches {@code bot_action_queue} at {@code at} (not before; within seconds after). */
    public void publishAt(BotAction action, Instant at) throws IOException {
        publish(action, Duration.between(Instant.now(), at));
    }

    /** Publishes all, then waits once for their confirms (much faster than one by one). */
    public void publishAll(Collection<?> messages) throws IOException {
        for (Object message : messages) {
            send(message);
        }
        awaitConfirms();
    }

    private void send(Object message) throws IOException {
        if (message instanceof LogEvent event) {
            publishRaw(Topology.LOG_EXCHANGE, event.routingKey(), properties(event.id().toString(), LogEvent.MESSAGE_TYPE),
                    codec.encode(event));
        } else if (message instanceof BotAction action) {
            publishRaw(Topology.BOT_ACTION_EXCHANGE, action.routingKey(),
                    properties(action.actionId().toString(), BotAction.MESSAGE_TYPE), codec.encode(action));
        } else {
            throw new IllegalArgumentException("not a message type: " + message.getClass().getName());
        }
    }

    /** Publishes any body (for tools and tests); call {@link #awaitConfirms()} afterwards. */
    public void publishRaw(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /**
     * Publishes any body to {@code queue} through the delay levels ({@link DelayLevels}); call
     * {@link #awaitConfirms()} afterwards.
     */
    public void publishRawDelayed(String queue, Duration delay, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
        publishRaw(DelayLevels.entryExchange(), DelayLevels.routingKey(delay, queue), properties, body);
    }

    public static AMQP.BasicProperties properties(String messageId, String type) {
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(messageId)
                .type(type)
                .timestamp(new Date())
                .build();
    }

    /** Waits until the broker confirmed everything published so far; fails on a nack, a return or a timeout. */
    public void awaitConfirms() throws IOException {
        try {
            channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for publisher confirms", e);
        } catch (TimeoutException e) {
            throw new IOException("no publisher confirm within " + confirmTimeout, e);
        }
        String returned = unroutable;
        if (returned != null) {
            unroutable = null;
            throw new IOException("broker returned an unroutable message: " + returned);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }
}
