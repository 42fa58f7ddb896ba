package com.vivesphere.mq.common.publish;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;

/**
 * The blocking form of {@link ConfirmingPublisher}: publishes {@link LogEvent}s and {@link BotAction}s the
 * documented way (exchange and routing key, JSON, persistent, {@code message_id}, {@code type},
 * {@code timestamp}) and waits for the broker's publisher confirms, so a returned call means the broker has
 * the message. Unroutable messages fail (mandatory). For Java services and tools; one instance per thread.
 */
public final class MessagePublisher implements AutoCloseable {

    public static final String CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private final ConfirmingPublisher publisher = new ConfirmingPublisher();
    private final MessageCodec codec = new MessageCodec();
    private final Duration confirmTimeout;
    private final List<CompletableFuture<Void>> unconfirmed = new ArrayList<>();
    private volatile String unroutable;

    public MessagePublisher(Connection connection, Duration confirmTimeout) throws IOException {
        this.confirmTimeout = confirmTimeout;
        publisher.onReturn((replyCode, replyText, exchange, routingKey, properties, body) -> unroutable = exchange + "/"
                + routingKey + ": " + replyText);
        publisher.open(connection);
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
    public void publishRaw(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        unconfirmed.add(publisher.publish(exchange, routingKey, true, properties, body).toCompletableFuture());
    }

    /**
     * Publishes any body to {@code queue} through the delay levels ({@link DelayLevels}); call
     * {@link #awaitConfirms()} afterwards.
     */
    public void publishRawDelayed(String queue, Duration delay, AMQP.BasicProperties properties, byte[] body) {
        unconfirmed.add(publisher.publishDelayed(queue, delay, properties, body).toCompletableFuture());
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

    /**
     * Waits until the broker confirmed everything published so far; fails on a nack, a return or a timeout
     * ({@link IOException}), or with the {@link ShutdownSignalException} of a channel the broker closed.
     */
    public void awaitConfirms() throws IOException {
        CompletableFuture<?>[] waiting = unconfirmed.toArray(CompletableFuture[]::new);
        unconfirmed.clear();
        try {
            CompletableFuture.allOf(waiting).get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for publisher confirms", e);
        } catch (TimeoutException e) {
            throw new IOException("no publisher confirm within " + confirmTimeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // A channel the broker closed (an exchange that does not exist, say) fails as the client reports it,
            // with the broker's reply code and text.
            if (cause.getCause() instanceof ShutdownSignalException signal) {
                throw signal;
            }
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
        String returned = unroutable;
        if (returned != null) {
            unroutable = null;
            throw new IOException("broker returned an unroutable message: " + returned);
        }
    }

    @Override
    public void close() throws IOException {
        publisher.close();
    }
}
