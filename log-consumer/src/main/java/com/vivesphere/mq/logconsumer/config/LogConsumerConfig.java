package com.vivesphere.mq.logconsumer.config;

import java.time.Duration;

import com.vivesphere.mq.runtime.config.RetryConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code log-consumer.*} (env {@code LOG_CONSUMER_*}). */
@ConfigMapping(prefix = "log-consumer")
public interface LogConsumerConfig {

    /** Largest accepted message body; larger ones are dead-lettered as {@code oversized}. */
    @WithDefault("262144")
    int maxMessageBytes();

    /** False only for benchmarks of the consuming path: events are acked without being stored. */
    @WithDefault("true")
    boolean storageEnabled();

    /**
     * Whether {@link #storageEnabled()} may be false; refused otherwise, since every event would be acked and
     * lost. The dev and test profiles allow it, production only when this is set.
     */
    @WithDefault("false")
    boolean allowStorageDisabled();

    /** How long stored events are kept; whole day partitions older than this are dropped. */
    @WithDefault("7d")
    Duration retention();

    Batch batch();

    /** Retries of events whose storing failed in a way worth retrying (both log queues). */
    RetryConfig retry();

    /** Distinct {@code service} label values on the stored-events metric; later ones count as "other". */
    @WithDefault("50")
    int maxServiceLabels();

    interface Batch {
        /** Events written in one statement. */
        @WithDefault("250")
        int size();

        /** How long a partial batch waits for more events before it is written. */
        @WithDefault("5ms")
        Duration maxWait();

        /** Batches being written at the same time. */
        @WithDefault("2")
        int maxConcurrent();
    }
}
