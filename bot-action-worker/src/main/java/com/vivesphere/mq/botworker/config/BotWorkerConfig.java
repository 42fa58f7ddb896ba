package com.vivesphere.mq.botworker.config;

import com.vivesphere.mq.common.config.RetryConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code bot-worker.*} (env {@code BOT_WORKER_*}). */
@ConfigMapping(prefix = "bot-worker")
public interface BotWorkerConfig {

    /** Largest accepted message body; larger ones are dead-lettered as {@code oversized}. */
    @WithDefault("65536")
    int maxMessageBytes();

    /** Retries of actions that failed transiently or were throttled. */
    RetryConfig retry();
}
