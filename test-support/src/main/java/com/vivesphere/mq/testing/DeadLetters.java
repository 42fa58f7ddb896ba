package com.vivesphere.mq.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

/** Reads a dead letter off a queue, with its headers as plain strings. */
public final class DeadLetters {

    public record Letter(String body, Map<String, String> headers, String contentType, String messageId) {
    }

    private DeadLetters() {
    }

    /** Takes (and acks) the next message of {@code queue}, if any. */
    public static Optional<Letter> take(Connection connection, String queue) throws IOException {
        try (Channel channel = connection.createChannel()) {
            GetResponse response = channel.basicGet(queue, true);
            if (response == null) {
                return Optional.empty();
            }
            Map<String, String> headers = new HashMap<>();
            Map<String, Object> raw = response.getProps().getHeaders();
            if (raw != null) {
                raw.forEach((k, v) -> headers.put(k, String.valueOf(v)));
            }
            return Optional.of(new Letter(new String(response.getBody(), StandardCharsets.UTF_8), headers,
                    response.getProps().getContentType(), response.getProps().getMessageId()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Number of ready messages in {@code queue} (passive declare: exact and immediate, unlike the management API). */
    public static long ready(Connection connection, String queue) throws IOException {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }
}
