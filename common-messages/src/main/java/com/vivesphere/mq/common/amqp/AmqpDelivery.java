package com.vivesphere.mq.common.amqp;

import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.AMQP;

/** Message metadata of a delivery from {@link AmqpConnector}: where it came from and its AMQP properties. */
public record AmqpDelivery(String queue, String exchange, String routingKey, boolean redelivered,
        AMQP.BasicProperties properties) {

    public Optional<String> messageId() {
        return Optional.ofNullable(properties.getMessageId());
    }

    public Map<String, Object> headers() {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }
}
