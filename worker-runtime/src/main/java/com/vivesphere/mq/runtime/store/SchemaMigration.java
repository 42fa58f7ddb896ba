package com.vivesphere.mq.runtime.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import com.vivesphere.mq.runtime.concurrent.DaemonScheduler;
import com.vivesphere.mq.runtime.rabbitmq.Backoff;

import io.quarkus.runtime.StartupEvent;

/**
 * Applies the Flyway migrations at start, in the background, retrying with capped backoff while
 * PostgreSQL is unreachable, so the application starts (not ready) without its database and carries on
 * by itself once the database is there.
 */
@Singleton
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

    private final Flyway flyway;
    private final List<Runnable> onMigrated = new ArrayList<>();
    private final ScheduledExecutorService executor = DaemonScheduler.create("schema-migration");
    private volatile boolean migrated;
    private volatile String lastError = "not migrated yet";

    public SchemaMigration(Flyway flyway) {
        this.flyway = flyway;
    }

    /** First of all start-up work: the migration runs on its own thread, beside the rest of the start. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 20) StartupEvent event) {
        attempt(Backoff.FIRST);
    }

    private void attempt(Duration nextDelay) {
        executor.execute(() -> {
            try {
                var result = flyway.migrate();
                migrated = true;
                LOG.infof("Database schema at version %s (%d migrations applied now)",
                        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                        result.migrationsExecuted);
                List<Runnable> actions;
                synchronized (onMigrated) {
                    actions = List.copyOf(onMigrated);
                }
                actions.forEach(Runnable::run);
            } catch (RuntimeException e) {
                if (executor.isShutdown()) {
                    return; // the application is stopping: nothing to retry, nothing worth a warning
                }
                lastError = e.getMessage();
                LOG.warnf("Database migration failed (%s); retrying in %s", e.getMessage(), nextDelay);
                executor.schedule(() -> attempt(Backoff.next(nextDelay)), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Runs {@code action} once the schema is migrated (now, if it is). */
    public void whenMigrated(Runnable action) {
        synchronized (onMigrated) {
            if (!migrated) {
                onMigrated.add(action);
                return;
            }
        }
        action.run();
    }

    public boolean isMigrated() {
        return migrated;
    }

    public String lastError() {
        return lastError;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
