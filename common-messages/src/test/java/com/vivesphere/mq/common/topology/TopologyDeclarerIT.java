package com.vivesphere.mq.common.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.vivesphere.mq.testing.OnFreshVhost;

/** Declaration against the real broker, each test in a fresh vhost. */
class TopologyDeclarerIT extends OnFreshVhost {

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void declaresQueuesWithTheDocumentedArguments(QueueType type) throws Exception {
        TopologySettings settings = new TopologySettings(type, Duration.ofDays(7), Duration.ofDays(14), 1L << 30);
        TopologyDeclarer.declare(connection, Topology.standard(settings));

        for (String queue : List.of(Topology.LOG_QUEUE, Topology.LOG_PRIORITY_QUEUE, Topology.BOT_ACTION_QUEUE)) {
            JsonNode info = admin.queue(vhost, queue);
            assertThat(info.get("durable").asBoolean()).as("%s durable", queue).isTrue();
            assertThat(info.get("type").asText()).isEqualTo(type.argument());
            JsonNode args = info.get("arguments");
            assertThat(args.get("x-message-ttl").asLong()).isEqualTo(604_800_000L);
            assertThat(args.get("x-dead-letter-exchange").asText()).isEqualTo("dlx");
            if (type == QueueType.QUORUM) {
                assertThat(args.get("x-dead-letter-strategy").asText()).isEqualTo("at-least-once");
                assertThat(args.get("x-overflow").asText()).isEqualTo("reject-publish");
            }
        }
        JsonNode dlq = admin.queue(vhost, Topology.DEAD_LETTER_QUEUE);
        assertThat(dlq.get("durable").asBoolean()).isTrue();
        assertThat(dlq.get("arguments").get("x-message-ttl").asLong()).isEqualTo(Duration.ofDays(14).toMillis());
        assertThat(dlq.get("arguments").get("x-max-length-bytes").asLong()).isEqualTo(1L << 30);
        assertThat(admin.exchange(vhost, "dlx").get("durable").asBoolean()).isTrue();
        assertThat(bindings()).contains("logs->log_queue:info.#", "logs->log_priority_queue:error.#",
                "bot_actions->bot_action_queue:#", "dlx->dead_letter_queue:#");
    }

    @Test
    void aShardedLogQueueIsDeclaredWithItsLeadersBalancedAndRoutesEvents() throws Exception {
        TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS.withLogShards(3)));

        assertThat(admin.exchange(vhost, Topology.LOG_SHARD_EXCHANGE).get("type").asText()).isEqualTo(Topology.CONSISTENT_HASH);
        for (String shard : Topology.logQueues(3)) {
            assertThat(admin.queue(vhost, shard).get("arguments").get(Topology.ARG_LEADER_LOCATOR).asText()).isEqualTo("balanced");
        }
        assertThat(bindings()).contains("logs->log_shards:info.#", "log_shards->log_queue.0:1", "log_shards->log_queue.2:1");
    }

    @Test
    void anUnshardedApplicationRefusesABrokerWhereLogQueueIsSharded() throws Exception {
        TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS.withLogShards(3)));

        assertThatThrownBy(() -> TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS)))
                .isInstanceOf(TopologyMismatchException.class).hasMessageContaining("VIVESPHERE_TOPOLOGY_LOG_SHARDS=1");
        assertThatThrownBy(() -> TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS.withLogShards(2))))
                .isInstanceOf(TopologyMismatchException.class).hasMessageContaining("log_queue.2 exists");
        // More shards than the broker has: a scale-up, declared.
        TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS.withLogShards(4)));
        assertThat(bindings()).contains("log_shards->log_queue.3:1");
    }

    @Test
    void declaringTwiceChangesNothing() throws Exception {
        Topology topology = Topology.standard(TopologySettings.DEFAULTS);
        TopologyDeclarer.declare(connection, topology);
        List<String> before = bindings();
        TopologyDeclarer.declare(connection, topology);
        assertThat(bindings()).isEqualTo(before);
    }

    @Test
    void anExistingQueueWithOtherArgumentsIsReportedByNameAndArgument() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(Topology.LOG_QUEUE, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-message-ttl", 1000L, "x-dead-letter-exchange", "dlx",
                            "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish"));
        }
        assertThatThrownBy(() -> TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS)))
                .isInstanceOfSatisfying(TopologyMismatchException.class, e -> {
                    assertThat(e.objectName()).isEqualTo(Topology.LOG_QUEUE);
                    assertThat(e.argument()).isEqualTo("x-message-ttl");
                    assertThat(e.getMessage()).contains("queue 'log_queue'", "x-message-ttl", "VIVESPHERE_TOPOLOGY_",
                            "rabbitmqctl delete_queue log_queue");
                });
    }

    @Test
    void theCommittedDefinitionsFileIsWhatTheCodeDeclares() throws Exception {
        admin.importDefinitions(vhost, Files.readString(Path.of("..", "infrastructure", "message_queue", "definitions.json")));
        List<String> imported = bindings();

        // Any difference in a queue or exchange argument would fail here with PRECONDITION_FAILED.
        TopologyDeclarer.declare(connection, Topology.standard(TopologySettings.DEFAULTS));

        assertThat(bindings()).isEqualTo(imported).hasSize(Topology.standard(TopologySettings.DEFAULTS).bindings().size());
    }

    private List<String> bindings() {
        List<String> result = new ArrayList<>();
        admin.bindings(vhost).forEach(b -> {
            if (!b.get("source").asText().isEmpty()) {
                result.add(b.get("source").asText() + "->" + b.get("destination").asText() + ":" + b.get("routing_key").asText());
            }
        });
        result.sort(null);
        return result;
    }
}
