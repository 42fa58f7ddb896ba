package com.vivesphere.mq.runtime.rabbitmq;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.AMQP;

/**
 * Message metadata of a delivery from {@link RabbitMQClientConnector}: where it came from, its AMQP properties, and
 * whether the channel it came on is still open ({@code channelOpen}).
 */
public record ClientDelivery(String consumedFrom, String exchange, String routingKey, boolean redelivered,
        AMQP.BasicProperties properties, BooleanSupplier channelOpen) implements Delivery {

    @Override
    public boolean settleable() {
        return channelOpen.getAsBoolean();
    }

    @Override
    public Optional<String> queue() {
        return Optional.of(consumedFrom);
    }

    @Override
    public Instant timestamp() {
        return properties.getTimestamp() == null ? null : properties.getTimestamp().toInstant();
    }

    @Override
    public Optional<String> messageId() {
        return Optional.ofNullable(properties.getMessageId());
    }

    @Override
    public Map<String, Object> headers() {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }

    @Override
    public String contentType() {
        return properties.getContentType();
    }

    @Override
    public String contentEncoding() {
        return properties.getContentEncoding();
    }
}
