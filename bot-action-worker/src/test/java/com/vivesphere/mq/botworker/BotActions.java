package com.vivesphere.mq.botworker;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;

/** Bot actions as a producer sends them: to {@code bot_actions}, routing key {@code <type>.<botId>}, confirmed. */
final class BotActions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BotActions() {
    }

    /** The JSON of an action with a new actionId and {@code fields} (JSON members, without braces). */
    static String action(String botId, String type, String fields) {
        return "{\"schemaVersion\":1,\"actionId\":\"" + UUID.randomUUID() + "\",\"botId\":\"" + botId + "\",\"type\":\"" + type
                + "\"," + fields + "}";
    }

    static UUID actionId(String body) throws Exception {
        return UUID.fromString(JSON.readTree(body).get("actionId").asText());
    }

    static UUID publish(Connection connection, String body) throws Exception {
        JsonNode action = JSON.readTree(body);
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                    .messageId(action.get("actionId").asText()).build();
            channel.basicPublish(Topology.BOT_ACTION_EXCHANGE,
                    action.get("type").asText().toLowerCase(Locale.ROOT) + "." + action.get("botId").asText(), true, properties,
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
        return UUID.fromString(action.get("actionId").asText());
    }
}
