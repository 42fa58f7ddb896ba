package com.vivesphere.mq.logconsumer.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.logconsumer.store.LogBatchWriter;
import com.vivesphere.mq.logconsumer.store.SchemaMigration;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Ready while PostgreSQL answers, the schema is migrated and the last write went through. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Pool pool;
    private final SchemaMigration schema;
    private final LogBatchWriter writer;

    public DatabaseReadinessCheck(Pool pool, SchemaMigration schema, LogBatchWriter writer) {
        this.pool = pool;
        this.schema = schema;
        this.writer = writer;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!schema.isMigrated()) {
            return Uni.createFrom().item(down("schema not migrated: " + schema.lastError()));
        }
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(rows -> {
                    String unavailable = writer.unavailableReason();
                    return unavailable == null ? HealthCheckResponse.up("postgresql") : down("writes failing: " + unavailable);
                })
                .onFailure().recoverWithItem(failure -> down("not reachable: " + failure.getMessage()));
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named("postgresql").down().withData("reason", reason).build();
    }
}
