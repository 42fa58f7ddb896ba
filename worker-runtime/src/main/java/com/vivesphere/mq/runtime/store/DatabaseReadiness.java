package com.vivesphere.mq.runtime.store;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** The readiness of PostgreSQL for an app: it answers, the schema is migrated, and the app's own work goes through. */
@Singleton
public class DatabaseReadiness {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Pool pool;
    private final SchemaMigration schema;

    public DatabaseReadiness(Pool pool, SchemaMigration schema) {
        this.pool = pool;
        this.schema = schema;
    }

    /** @param failingWork why the app's database work fails now, or {@code null} when it does not */
    public Uni<HealthCheckResponse> check(Supplier<String> failingWork) {
        if (!schema.isMigrated()) {
            return Uni.createFrom().item(down("schema not migrated: " + schema.lastError()));
        }
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(rows -> {
                    String failing = failingWork.get();
                    return failing == null ? HealthCheckResponse.up("postgresql") : down("writes failing: " + failing);
                })
                .onFailure().recoverWithItem(failure -> down("not reachable: " + failure.getMessage()));
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named("postgresql").down().withData("reason", reason).build();
    }
}
