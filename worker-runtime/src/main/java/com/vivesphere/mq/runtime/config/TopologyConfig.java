package com.vivesphere.mq.runtime.config;

import java.time.Duration;

import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.TopologySettings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code vivesphere.topology.*} (env {@code VIVESPHERE_TOPOLOGY_*}): see {@link TopologySettings}. */
@ConfigMapping(prefix = "vivesphere.topology")
public interface TopologyConfig {

    @WithDefault("quorum")
    QueueType queueType();

    @WithDefault("7d")
    Duration messageTtl();

    @WithDefault("14d")
    Duration deadLetterTtl();

    @WithDefault("1073741824")
    long deadLetterMaxBytes();

    @WithDefault("1")
    int logShards();

    default TopologySettings settings() {
        return new TopologySettings(queueType(), messageTtl(), deadLetterTtl(), deadLetterMaxBytes(), logShards());
    }
}
