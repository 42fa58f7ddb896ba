package com.vivesphere.mq.common.topology;

import java.time.Duration;

/**
 * The operator-tunable parts of the topology. Changing one for an existing queue needs a migration
 * (RabbitMQ cannot change queue arguments in place); the apps refuse to start and say so.
 *
 * @param queueType type of every queue
 * @param messageTtl how long a message may wait in a work queue before it is dead-lettered
 * @param deadLetterTtl how long a dead letter is kept
 * @param deadLetterMaxBytes total size of dead letters kept; the oldest are dropped beyond it
 * @param logShards queues {@code log_queue}'s events are spread over: 1 is {@code log_queue} itself, more are
 *        {@code log_queue.0} … (docs/sharding.md); needs the rabbitmq_consistent_hash_exchange plugin
 */
public record TopologySettings(QueueType queueType, Duration messageTtl, Duration deadLetterTtl, long deadLetterMaxBytes,
        int logShards) {

    public static final TopologySettings DEFAULTS = new TopologySettings(QueueType.QUORUM, Duration.ofDays(7),
            Duration.ofDays(14), 1L << 30, 1);

    public TopologySettings {
        if (logShards < 1) {
            throw new IllegalArgumentException("logShards must be at least 1, not " + logShards);
        }
    }

    public TopologySettings(QueueType queueType, Duration messageTtl, Duration deadLetterTtl, long deadLetterMaxBytes) {
        this(queueType, messageTtl, deadLetterTtl, deadLetterMaxBytes, 1);
    }

    public TopologySettings withLogShards(int shards) {
        return new TopologySettings(queueType, messageTtl, deadLetterTtl, deadLetterMaxBytes, shards);
    }
}
