package com.vivesphere.mq.runtime.intake;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.runtime.rabbitmq.ClientDelivery;

import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/** Feeds the deliveries of a queue to an {@link Intake} the way the connector does: manual acks, prefetch. */
final class IntakeConsumer implements AutoCloseable {

    private final Channel channel;
    /** Headers of every delivery, in order. */
    final List<Map<String, Object>> headersSeen = new CopyOnWriteArrayList<>();

    <T> IntakeConsumer(Connection connection, String queue, Intake<T> intake, Function<T, CompletionStage<Void>> handler)
            throws IOException {
        channel = connection.createChannel();
        channel.basicQos(50);
        channel.basicConsume(queue, false, (tag, delivery) -> {
            long deliveryTag = delivery.getEnvelope().getDeliveryTag();
            Map<String, Object> headers = delivery.getProperties().getHeaders();
            headersSeen.add(headers == null ? Map.of() : headers);
            ClientDelivery metadata = new ClientDelivery(queue, delivery.getEnvelope().getExchange(),
                    delivery.getEnvelope().getRoutingKey(), delivery.getEnvelope().isRedeliver(), delivery.getProperties(),
                    channel::isOpen);
            Message<byte[]> message = Message.of(delivery.getBody(), List.of(metadata),
                    m -> settle(() -> channel.basicAck(deliveryTag, false)),
                    (reason, m) -> settle(() -> channel.basicNack(deliveryTag, false, m.get(RabbitMQRejectMetadata.class).map(RabbitMQRejectMetadata::isRequeue).orElse(false))));
            intake.settle(message, handler);
        }, tag -> {
        });
    }

    private interface Settlement {
        void run() throws IOException;
    }

    private static CompletionStage<Void> settle(Settlement settlement) {
        try {
            settlement.run();
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
