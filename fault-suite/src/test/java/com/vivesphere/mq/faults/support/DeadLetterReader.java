package com.vivesphere.mq.faults.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.vivesphere.mq.common.topology.Topology;

/** Takes every message off {@code dead_letter_queue}: its message id, headers (as text) and body size. */
public final class DeadLetterReader {

    /** One dead letter. */
    public record Letter(String messageId, String contentType, Map<String, String> headers, int bodyBytes) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private DeadLetterReader() {
    }

    /** Consumes until {@code expected} dead letters arrived (fails after {@code timeout}), then as many as came. */
    public static List<Letter> take(Sandbox sandbox, int expected, Duration timeout) {
        List<Letter> letters = new CopyOnWriteArrayList<>();
        try (Connection connection = sandbox.connect("fault-suite-dead-letters"); Channel channel = connection.createChannel()) {
            channel.basicQos(500);
            channel.basicConsume(Topology.DEAD_LETTER_QUEUE, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    Map<String, String> headers = new HashMap<>();
                    if (properties.getHeaders() != null) {
                        properties.getHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
                    }
                    letters.add(new Letter(properties.getMessageId(), properties.getContentType(), headers, body.length));
                }
            });
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> letters.size() >= expected);
            return List.copyOf(letters);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
