package com.vivesphere.mq.botworker.executor;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;

import io.quarkus.runtime.StartupEvent;

/**
 * {@code BOT_EXECUTOR}: {@code x} calls the X API, {@code dry-run} calls nothing; refused unless
 * {@code bot-worker.allow-dry-run}, which the dev and test profiles set, whether run by Maven or as a packaged jar.
 */
@ApplicationScoped
public class ExecutorSelection {

    private static final Logger LOG = Logger.getLogger(ExecutorSelection.class);

    /** A start-up guard: before anything else starts (the schema migration included), so a refused start says only why. */
    static void refuseUnallowedDryRun(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event,
            BotWorkerConfig config) {
        if (config.executor() == BotWorkerConfig.Executor.DRY_RUN && !config.allowDryRun()) {
            throw new IllegalStateException("BOT_EXECUTOR=dry-run in production would acknowledge every action without "
                    + "executing it; set BOT_EXECUTOR=x, or BOT_WORKER_ALLOW_DRY_RUN=true if that is really wanted");
        }
    }

    @Produces
    @Singleton
    BotActionExecutor executor(BotWorkerConfig config, Instance<XActionExecutor> x, Instance<DryRunExecutor> dryRun) {
        if (config.executor() == BotWorkerConfig.Executor.X) {
            return x.get();
        }
        LOG.warn("BOT_EXECUTOR=dry-run: actions are logged and acknowledged, X is never called");
        return dryRun.get();
    }
}
