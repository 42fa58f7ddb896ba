package com.vivesphere.mq.logconsumer.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.logconsumer.store.LogBatchWriter;
import com.vivesphere.mq.runtime.store.DatabaseReadiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready while PostgreSQL answers, the schema is migrated and the last write went through. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {

    private final DatabaseReadiness database;
    private final LogBatchWriter writer;

    public DatabaseReadinessCheck(DatabaseReadiness database, LogBatchWriter writer) {
        this.database = database;
        this.writer = writer;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return database.check(writer::unavailableReason);
    }
}
