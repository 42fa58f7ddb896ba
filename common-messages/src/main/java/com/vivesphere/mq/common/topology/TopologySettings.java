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
 */
public record TopologySettings(QueueType queueType, Duration messageTtl, Duration deadLetterTtl, long deadLetterMaxBytes) {

    public static final TopologySettings DEFAULTS = new TopologySettings(QueueType.QUORUM, Duration.ofDays(7),
            Duration.ofDays(14), 1L << 30);
}
