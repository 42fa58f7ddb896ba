package com.vivesphere.mq.common.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final Topology SHARDED = Topology.standard(TopologySettings.DEFAULTS.withLogShards(3));

    private static List<String> queueNames(Topology topology) {
        return topology.queues().stream().map(Topology.Queue::name).toList();
    }

    @Test
    void oneShardIsLogQueueItselfRoutedFromLogs() {
        Topology topology = Topology.standard(TopologySettings.DEFAULTS);

        assertThat(queueNames(topology)).contains(Topology.LOG_QUEUE).noneMatch(q -> q.startsWith(Topology.LOG_QUEUE + "."));
        assertThat(topology.exchanges()).noneMatch(e -> e.name().equals(Topology.LOG_SHARD_EXCHANGE));
        assertThat(topology.bindings()).contains(Topology.Binding.toQueue(Topology.LOG_EXCHANGE, Topology.LOG_QUEUE, "info.#"));
    }

    @Test
    void shardsReplaceLogQueueBehindAConsistentHashExchange() {
        assertThat(queueNames(SHARDED)).contains("log_queue.0", "log_queue.1", "log_queue.2").doesNotContain(Topology.LOG_QUEUE);
        assertThat(SHARDED.exchanges()).contains(new Topology.Exchange(Topology.LOG_SHARD_EXCHANGE, Topology.CONSISTENT_HASH));
        for (String level : List.of("trace", "debug", "info", "warn")) {
            assertThat(SHARDED.bindings())
                    .contains(Topology.Binding.toExchange(Topology.LOG_EXCHANGE, Topology.LOG_SHARD_EXCHANGE, level + ".#"));
        }
        for (String shard : Topology.logQueues(3)) {
            assertThat(SHARDED.bindings()).contains(Topology.Binding.toQueue(Topology.LOG_SHARD_EXCHANGE, shard, "1"),
                    Topology.Binding.toQueue(DelayLevels.DELIVERY_EXCHANGE, shard, "#." + shard));
            assertThat(SHARDED.queue(shard).arguments()).containsEntry(Topology.ARG_LEADER_LOCATOR, "balanced")
                    .containsEntry(Topology.ARG_DEAD_LETTER_EXCHANGE, Topology.DEAD_LETTER_EXCHANGE)
                    .containsEntry(Topology.ARG_MESSAGE_TTL, TopologySettings.DEFAULTS.messageTtl().toMillis());
        }
    }

    @Test
    void errorAndFatalStillOvertakeThroughThePriorityQueue() {
        assertThat(SHARDED.bindings()).contains(Topology.Binding.toQueue(Topology.LOG_EXCHANGE, Topology.LOG_PRIORITY_QUEUE, "error.#"),
                Topology.Binding.toQueue(Topology.LOG_EXCHANGE, Topology.LOG_PRIORITY_QUEUE, "fatal.#"));
    }

    @Test
    void shardsCanBeDelayedToOtherQueuesNamedAlikeCannot() {
        assertThat(Topology.isDelayable("log_queue.0")).isTrue();
        assertThat(Topology.isDelayable("log_queue.12")).isTrue();
        assertThat(Topology.isDelayable(Topology.BOT_ACTION_QUEUE)).isTrue();
        assertThat(Topology.isDelayable("log_queue.01")).isFalse();
        assertThat(Topology.isDelayable("log_queue.x")).isFalse();
        assertThat(Topology.isDelayable(Topology.DEAD_LETTER_QUEUE)).isFalse();
    }

    @Test
    void fewerThanOneShardIsRefused() {
        assertThatThrownBy(() -> TopologySettings.DEFAULTS.withLogShards(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
