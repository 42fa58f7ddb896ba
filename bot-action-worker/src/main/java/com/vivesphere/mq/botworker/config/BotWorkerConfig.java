package com.vivesphere.mq.botworker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.vivesphere.mq.runtime.config.RetryConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code bot-worker.*} (env {@code BOT_WORKER_*}); {@code BOT_EXECUTOR} and {@code BOT_CREDENTIALS_FILE} map here too. */
@ConfigMapping(prefix = "bot-worker")
public interface BotWorkerConfig {

    enum Executor {
        /** Calls the X API. */
        X,
        /** Runs every step but the call to X, which is logged and answered as X would; ledger rows and results say so. */
        DRY_RUN
    }

    /** Largest accepted message body; larger ones are dead-lettered as {@code oversized}. */
    @WithDefault("65536")
    int maxMessageBytes();

    /** Retries of actions that failed transiently or were throttled. */
    RetryConfig retry();

    /** {@code x} or {@code dry-run} (env {@code BOT_EXECUTOR}). */
    @WithDefault("x")
    Executor executor();

    /**
     * The worker refuses to start in dry-run unless this is true: a dry run in production would drop every
     * action. The dev and test profiles allow it.
     */
    @WithDefault("false")
    boolean allowDryRun();

    /** JSON file of per-bot X credentials (env {@code BOT_CREDENTIALS_FILE}); re-read when it changes. */
    Optional<Path> credentialsFile();

    /** Actions of one bot in flight at once; more are delayed a moment, so one slow bot cannot hold every slot. */
    @WithDefault("4")
    int maxInFlightPerBot();

    /** How long one worker may hold an action before another may take it over (longer than a call with retries). */
    @WithDefault("2m")
    Duration actionLease();

    /** An access token is refreshed this long before it expires. */
    @WithDefault("60s")
    Duration tokenRefreshMargin();

    /**
     * How long other replicas wait for the first call of a bot and endpoint whose rate-limit window is
     * unknown (the call's response tells the window).
     */
    @WithDefault("15s")
    Duration rateLimitProbeWait();
}
