package com.vivesphere.mq.faults.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;

/** Messages as producers write them, published with publisher confirms (a confirmed message is the broker's). */
public final class Traffic {

    /** A message as a producer publishes it: routing, properties, body. */
    public record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    private static final int CONFIRM_WINDOW = 2_000;

    private Traffic() {
    }

    public static AMQP.BasicProperties json(String messageId, String type) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).messageId(messageId)
                .type(type).build();
    }

    public static String logEventJson(UUID id, String service, String level, String message) {
        return """
                {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"%s","level":"%s","message":"%s",\
                "logger":"fault.suite","attributes":{"scenario":"%s"}}""".formatted(id, OffsetDateTime.now(ZoneOffset.UTC),
                service, level, message, service);
    }

    public static Outgoing logEvent(UUID id, String service) {
        return new Outgoing(Topology.LOG_EXCHANGE, "info." + service, json(id.toString(), "LogEvent"),
                logEventJson(id, service, "INFO", "GET /api/v1/bots/42 200 in 12 ms request " + id)
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** A bot action of {@code type} with its own JSON fields ({@code "text":"..."} etc.). */
    public static Outgoing botAction(UUID actionId, String botId, String type, String fields) {
        String body = """
                {"schemaVersion":1,"actionId":"%s","botId":"%s","type":"%s",%s}""".formatted(actionId, botId, type, fields);
        return new Outgoing(Topology.BOT_ACTION_EXCHANGE, type.toLowerCase() + "." + botId,
                json(actionId.toString(), "BotAction"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes every message and waits until the broker confirmed them all. */
    public static void publish(Connection connection, List<Outgoing> messages) {
        publish(connection, messages.size(), messages::get);
    }

    /** {@link #publish} of {@code count} messages made by {@code message}, on a thread of its own. */
    public static CompletableFuture<Void> publishInBackground(Connection connection, int count, IntFunction<Outgoing> message) {
        return CompletableFuture.runAsync(() -> publish(connection, count, message));
    }

    private static void publish(Connection connection, int count, IntFunction<Outgoing> message) {
        try (MessagePublisher publisher = new MessagePublisher(connection, Duration.ofMinutes(2))) {
            for (int i = 0; i < count; i++) {
                Outgoing m = message.apply(i);
                publisher.publishRaw(m.exchange(), m.routingKey(), m.properties(), m.body());
                if ((i + 1) % CONFIRM_WINDOW == 0) {
                    publisher.awaitConfirms();
                }
            }
            publisher.awaitConfirms();
        } catch (IOException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }
}
