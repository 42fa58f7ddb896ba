package com.vivesphere.mq.botworker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.runtime.store.DatabaseReadiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready while PostgreSQL (ledger, rate limits, tokens) answers and the schema is migrated. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {

    private final DatabaseReadiness database;

    public DatabaseReadinessCheck(DatabaseReadiness database) {
        this.database = database;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return database.check(() -> null);
    }
}
