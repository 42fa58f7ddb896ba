package com.vivesphere.mq.logconsumer.store;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.runtime.store.SchemaMigration;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps one partition per day (UTC) from the retention cutoff to a few days ahead, and enforces retention
 * by dropping whole partitions older than {@code log-consumer.retention}. Runs once the schema is migrated,
 * then every hour; several replicas may run it at once (the SQL functions take an advisory lock).
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);
    static final int DAYS_AHEAD = 3;
    private static final long PERIOD_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final Pool pool;
    private final Vertx vertx;
    private final SchemaMigration schema;
    private final long retentionDays;
    private volatile boolean stopping;

    public PartitionMaintenance(Pool pool, Vertx vertx, SchemaMigration schema, LogConsumerConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.schema = schema;
        this.retentionDays = Math.max(1, config.retention().toDays());
    }

    void onStart(@Observes StartupEvent event) {
        schema.whenMigrated(() -> {
            runQuietly();
            vertx.setPeriodic(PERIOD_MILLIS, id -> runQuietly());
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void runQuietly() {
        run(LocalDate.now(ZoneOffset.UTC)).subscribe().with(
                dropped -> LOG.debugf("Partition maintenance done, %d partitions dropped", dropped),
                failure -> {
                    // a run cut short by the application's stop (its pool closed) is no failure to report
                    if (stopping) {
                        LOG.debugf("Partition maintenance stopped with the application: %s", failure.getMessage());
                    } else {
                        LOG.warnf("Partition maintenance failed (retried within the hour): %s", failure.getMessage());
                    }
                });
    }

    /** Creates the partitions around {@code today} and drops those older than the retention; returns how many it dropped. */
    public Uni<Integer> run(LocalDate today) {
        LocalDate cutoff = today.minusDays(retentionDays);
        return Multi.createFrom().iterable(cutoff.datesUntil(today.plusDays(DAYS_AHEAD + 1)).toList())
                .onItem().transformToUniAndConcatenate(day -> pool.preparedQuery("SELECT log_events_ensure_partition($1)")
                        .execute(Tuple.of(day)))
                .collect().last()
                .chain(() -> pool.preparedQuery("SELECT log_events_drop_before($1)").execute(Tuple.of(cutoff)))
                .map(rows -> rows.iterator().next().getInteger(0));
    }
}
