package com.vivesphere.mq.botworker;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.topology.Topology;

/**
 * A test's own queue bound to an exchange the worker publishes to ({@code bot_action_events} for results,
 * {@code logs} for log events), read as JSON.
 */
final class PublishedMessages implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Channel channel;
    private final String queue;
    private final Function<JsonNode, String> actionId;

    /** {@code actionId}: which action a message is about (those of other tests' actions are dropped). */
    private PublishedMessages(Connection connection, String exchange, Function<JsonNode, String> actionId) throws IOException {
        this.channel = connection.createChannel();
        this.queue = channel.queueDeclare("test-" + exchange + "-" + UUID.randomUUID(), false, true, true, Map.of()).getQueue();
        this.actionId = actionId;
        channel.queueBind(queue, exchange, "#");
    }

    static PublishedMessages results(Connection connection) throws IOException {
        return new PublishedMessages(connection, Topology.BOT_ACTION_EVENT_EXCHANGE, result -> result.path("actionId").asText());
    }

    static PublishedMessages logEvents(Connection connection) throws IOException {
        return new PublishedMessages(connection, Topology.LOG_EXCHANGE, event -> event.path("attributes").path("actionId").asText());
    }

    /** The messages about {@code actionIds}, in arrival order, once there are {@code count} of them (others are dropped). */
    List<JsonNode> take(List<UUID> actionIds, int count, Duration wait) {
        List<String> wanted = actionIds.stream().map(UUID::toString).toList();
        List<JsonNode> received = new ArrayList<>();
        await().atMost(wait).until(() -> {
            GetResponse response = channel.basicGet(queue, true);
            if (response != null) {
                JsonNode message = JSON.readTree(response.getBody());
                if (wanted.contains(actionId.apply(message))) {
                    received.add(message);
                }
            }
            return received.size() >= count;
        });
        return received;
    }

    List<JsonNode> take(List<UUID> actionIds, Duration wait) {
        return take(actionIds, actionIds.size(), wait);
    }

    JsonNode take(UUID actionId, Duration wait) {
        return take(List.of(actionId), wait).get(0);
    }

    @Override
    public void close() throws Exception {
        channel.close();
    }
}
