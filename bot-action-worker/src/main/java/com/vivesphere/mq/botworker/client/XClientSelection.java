package com.vivesphere.mq.botworker.client;

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
 * {@code BOT_EXECUTOR}: {@code x} calls the X API, {@code dry-run} answers in its place; refused unless
 * {@code bot-worker.allow-dry-run}, which the dev and test profiles set, whether run by Maven or as a packaged jar.
 * The refusal is a start-up guard, so a refused dry run stops the worker before anything else starts.
 */
@ApplicationScoped
public class XClientSelection {

    private static final Logger LOG = Logger.getLogger(XClientSelection.class);

    /** A start-up guard: before anything else starts (the schema migration included), so a refused start says only why. */
    static void refuseUnallowedDryRun(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 30) StartupEvent event,
            BotWorkerConfig config) {
        if (config.executor() == BotWorkerConfig.Executor.DRY_RUN && !config.allowDryRun()) {
            throw new IllegalStateException("BOT_EXECUTOR=dry-run in production would record every action as "
                    + "done without calling X; set BOT_EXECUTOR=x, or BOT_WORKER_ALLOW_DRY_RUN=true if that is really wanted");
        }
    }

    @Produces
    @Singleton
    XClient client(BotWorkerConfig config, Instance<HttpXClient> x, Instance<DryRunXClient> dryRun) {
        if (config.executor() == BotWorkerConfig.Executor.X) {
            return x.get();
        }
        LOG.warn("BOT_EXECUTOR=dry-run: actions run through the whole pipeline, X is never called (the requests are logged)");
        return dryRun.get();
    }
}
