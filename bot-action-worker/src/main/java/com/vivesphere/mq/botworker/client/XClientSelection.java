package com.vivesphere.mq.botworker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;

import io.quarkus.runtime.Startup;

/**
 * {@code BOT_EXECUTOR}: {@code x} calls the X API, {@code dry-run} answers in its place; refused unless
 * {@code bot-worker.allow-dry-run}, which the dev and test profiles set, whether run by Maven or as a packaged jar.
 * Made at start, so a refused dry run stops the worker before it consumes anything.
 */
@ApplicationScoped
public class XClientSelection {

    private static final Logger LOG = Logger.getLogger(XClientSelection.class);

    @Produces
    @Singleton
    @Startup
    XClient client(BotWorkerConfig config, Instance<HttpXClient> x, Instance<DryRunXClient> dryRun) {
        if (config.executor() == BotWorkerConfig.Executor.X) {
            return x.get();
        }
        if (!config.allowDryRun()) {
            throw new IllegalStateException("BOT_EXECUTOR=dry-run in production would acknowledge every action without "
                    + "executing it; set BOT_EXECUTOR=x, or BOT_WORKER_ALLOW_DRY_RUN=true if that is really wanted");
        }
        LOG.warn("BOT_EXECUTOR=dry-run: actions run through the whole pipeline, X is never called (the requests are logged)");
        return dryRun.get();
    }
}
