package com.vivesphere.mq.logconsumer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code log-consumer.*} (env {@code LOG_CONSUMER_*}). */
@ConfigMapping(prefix = "log-consumer")
public interface LogConsumerConfig {

    /** Largest accepted message body; larger ones are dead-lettered as {@code oversized}. */
    @WithDefault("262144")
    int maxMessageBytes();
}
