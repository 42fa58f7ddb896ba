package com.vivesphere.mq.runtime.rabbitmq;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.AMQP;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/** A delivery of the {@code smallrye-rabbitmq} connector, read through its metadata. */
record SmallRyeDelivery(IncomingRabbitMQMetadata metadata) implements Delivery {

    /** The extension's metadata does not say; its channel consumes the one queue of its configuration. */
    @Override
    public Optional<String> queue() {
        return Optional.empty();
    }

    @Override
    public String exchange() {
        return metadata.getExchange();
    }

    @Override
    public String routingKey() {
        return metadata.getRoutingKey();
    }

    @Override
    public boolean redelivered() {
        return metadata.isRedeliver();
    }

    @Override
    public Optional<String> messageId() {
        return metadata.getMessageId();
    }

    @Override
    public Map<String, Object> headers() {
        return metadata.getHeaders();
    }

    @Override
    public String contentType() {
        return metadata.getContentType().orElse(null);
    }

    @Override
    public String contentEncoding() {
        return metadata.getContentEncoding().orElse(null);
    }

    @Override
    public Instant timestamp() {
        return metadata.getTimestamp(ZoneOffset.UTC).map(time -> time.toInstant()).orElse(null);
    }

    @Override
    public AMQP.BasicProperties properties() {
        return new AMQP.BasicProperties.Builder()
                .contentType(contentType())
                .contentEncoding(contentEncoding())
                .headers(metadata.getHeaders())
                .deliveryMode(metadata.getDeliveryMode().orElse(null))
                .priority(metadata.getPriority().orElse(null))
                .correlationId(metadata.getCorrelationId().orElse(null))
                .replyTo(metadata.getReplyTo().orElse(null))
                .expiration(metadata.getExpiration().orElse(null))
                .messageId(metadata.getMessageId().orElse(null))
                .timestamp(metadata.getTimestamp(ZoneOffset.UTC).map(time -> Date.from(time.toInstant())).orElse(null))
                .type(metadata.getType().orElse(null))
                .userId(metadata.getUserId().orElse(null))
                .appId(metadata.getAppId().orElse(null))
                .build();
    }
}
