package com.vivesphere.mq.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionType;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.testing.OnFreshVhost;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;
import com.vivesphere.mq.common.topology.TopologySettings;

/** The Java publisher helper against the real broker, in a fresh vhost with the standard topology. */
class MessagePublisherIT extends OnFreshVhost {

    @BeforeEach
    void setUp() throws Exception {
        TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS));
    }

    @Test
    void publishesWithTheDocumentedPropertiesToTheRoutedQueues() throws Exception {
        LogEvent info = LogEvent.of(OffsetDateTime.now(ZoneOffset.UTC), "billing", LogLevel.INFO, "paid");
        LogEvent fatal = LogEvent.of(OffsetDateTime.now(ZoneOffset.UTC), "billing", LogLevel.FATAL, "down");
        BotAction like = new BotAction(1, UUID.randomUUID(), "bot-1", BotActionType.LIKE, null, "42", null, null, null, null,
                null, null);
        try (MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(10))) {
            publisher.publish(info);
            publisher.publishAll(List.of(fatal, like));
        }

        try (Channel channel = connection.createChannel()) {
            GetResponse logged = channel.basicGet(Topology.LOG_QUEUE, true);
            assertThat(logged.getProps().getContentType()).isEqualTo("application/json");
            assertThat(logged.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(logged.getProps().getMessageId()).isEqualTo(info.id().toString());
            assertThat(logged.getProps().getType()).isEqualTo("LogEvent");
            assertThat(logged.getProps().getTimestamp()).isNotNull();
            assertThat(new MessageCodec().decoderFor(LogEvent.class).decode(logged.getBody())).isEqualTo(info);
            assertThat(channel.basicGet(Topology.LOG_PRIORITY_QUEUE, true).getProps().getMessageId())
                    .isEqualTo(fatal.id().toString());
            GetResponse action = channel.basicGet(Topology.BOT_ACTION_QUEUE, true);
            assertThat(action.getProps().getType()).isEqualTo("BotAction");
            assertThat(action.getEnvelope().getRoutingKey()).isEqualTo("like.bot-1");
        }
    }

    @Test
    void anUnroutableMessageFails() throws Exception {
        try (MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(10))) {
            publisher.publishRaw(Topology.LOG_EXCHANGE, "nobinding", MessagePublisher.properties("x", "LogEvent"),
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(publisher::awaitConfirms).isInstanceOf(IOException.class).hasMessageContaining("unroutable");
        }
    }
}
