package com.vivesphere.mq.runtime.rabbitmq;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.AMQP;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/**
 * What the intake and the failure router read of a delivery, whichever connector consumed it:
 * {@code vivesphere-rabbitmq-client} ({@link ClientDelivery}) or the Quarkus RabbitMQ extension's
 * {@code smallrye-rabbitmq} ({@link SmallRyeDelivery}).
 */
public interface Delivery {

    /**
     * The queue it was consumed from, where the connector says: a channel on {@code vivesphere-rabbitmq-client}
     * may consume several (the shards of a queue).
     */
    Optional<String> queue();

    String exchange();

    String routingKey();

    /** The broker's redelivered flag: an earlier delivery of this message was not settled. */
    boolean redelivered();

    Optional<String> messageId();

    /** Never null. */
    Map<String, Object> headers();

    /** Null when the producer sent none. */
    String contentType();

    /** Null when the producer sent none. */
    String contentEncoding();

    /** The AMQP {@code timestamp} property (whole seconds); null when the producer set none. */
    Instant timestamp();

    /** The message's properties as they came, for the retry and dead-letter copies. */
    AMQP.BasicProperties properties();

    /**
     * Whether it can still be settled: not once the channel it came on has closed (the broker's consumer_timeout,
     * a channel error), since the broker then put it back in its queue and delivers it again. True where the
     * connector does not tell.
     */
    default boolean settleable() {
        return true;
    }

    /** The delivery of {@code message}; empty for a message that did not come from the broker. */
    static Optional<Delivery> of(Message<?> message) {
        Optional<ClientDelivery> client = message.getMetadata(ClientDelivery.class);
        if (client.isPresent()) {
            return Optional.of(client.get());
        }
        return message.getMetadata(IncomingRabbitMQMetadata.class).map(SmallRyeDelivery::new);
    }
}
