package com.vivesphere.mq.botworker.ledger;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.common.failure.Redactor;
import com.vivesphere.mq.common.message.BotAction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The execution ledger in PostgreSQL, keyed by actionId: the record that makes X effects happen once
 * although messages are delivered at least once. A worker claims an action (a lease, so two deliveries of
 * it cannot run at once) and with the outcome marked unknown until it records one. Rows of a dry run
 * ({@code BOT_EXECUTOR=dry-run}) say so ({@code dry_run}).
 */
@ApplicationScoped
public class ExecutionLedger {

    /**
     * Takes the action unless it succeeded or another worker's lease runs; counts the attempt, and marks the
     * outcome unknown from here on (a request is about to go out), returning what the previous attempt left.
     * Every path after a claim records an outcome or {@link #release}s with the right flag; a worker that
     * dies in between leaves "unknown", which only costs the next attempt a reconciliation.
     */
    private static final String CLAIM = """
            WITH previous AS (SELECT outcome_unknown FROM bot_action_executions WHERE action_id = $1)
            INSERT INTO bot_action_executions AS e (action_id, bot_id, type, state, attempts, outcome_unknown, lease_until, dry_run)
            VALUES ($1, $2, $3, 'IN_PROGRESS', 1, true, now() + make_interval(secs => $4::float8), $5)
            ON CONFLICT (action_id) DO UPDATE SET attempts = e.attempts + 1, state = 'IN_PROGRESS', outcome_unknown = true,
                lease_until = EXCLUDED.lease_until, dry_run = EXCLUDED.dry_run, updated_at = now()
            WHERE e.state <> 'SUCCEEDED' AND (e.lease_until IS NULL OR e.lease_until < now())
            RETURNING attempts, coalesce((SELECT outcome_unknown FROM previous), false) AS previously_unknown, created_at""";

    private static final int MAX_ERROR_LENGTH = 1_000;

    private final Pool pool;
    private final double leaseSeconds;
    private final boolean dryRun;

    public ExecutionLedger(Pool pool, BotWorkerConfig config) {
        this.pool = pool;
        this.leaseSeconds = config.actionLease().toMillis() / 1000.0;
        this.dryRun = config.executor() == BotWorkerConfig.Executor.DRY_RUN;
    }

    public CompletionStage<Claim> claim(BotAction action) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(action.actionId(), action.botId(), action.type().name(), leaseSeconds, dryRun))
                .chain(rows -> {
                    if (rows.iterator().hasNext()) {
                        Row row = rows.iterator().next();
                        return Uni.createFrom().item(new Claim(Claim.Kind.EXECUTE, row.getInteger("attempts"),
                                row.getBoolean("previously_unknown"), null, row.getOffsetDateTime("created_at").toInstant()));
                    }
                    return pool.preparedQuery("SELECT state, attempts, external_id, created_at FROM bot_action_executions WHERE action_id = $1")
                            .execute(Tuple.of(action.actionId()))
                            .map(existing -> {
                                Row row = existing.iterator().next();
                                Claim.Kind kind = "SUCCEEDED".equals(row.getString("state")) ? Claim.Kind.ALREADY_SUCCEEDED
                                        : Claim.Kind.HELD_ELSEWHERE;
                                return new Claim(kind, row.getInteger("attempts"), false, row.getString("external_id"),
                                        row.getOffsetDateTime("created_at").toInstant());
                            });
                })
                .subscribeAsCompletionStage();
    }

    public CompletionStage<Void> succeeded(UUID actionId, String externalId) {
        return update("""
                UPDATE bot_action_executions SET state = 'SUCCEEDED', external_id = $2, outcome_unknown = false, error = NULL,
                    lease_until = NULL, updated_at = now(), finished_at = now() WHERE action_id = $1""",
                Tuple.of(actionId, externalId));
    }

    public CompletionStage<Void> failed(UUID actionId, String error) {
        return update("""
                UPDATE bot_action_executions SET state = 'FAILED', error = $2, outcome_unknown = false, lease_until = NULL,
                    updated_at = now(), finished_at = now() WHERE action_id = $1""",
                Tuple.of(actionId, safe(error)));
    }

    /** Gives the action up for a later attempt; {@code outcomeUnknown}: whether X may have carried it out. */
    public CompletionStage<Void> release(UUID actionId, boolean outcomeUnknown, String error) {
        return release(actionId, outcomeUnknown, error, 0);
    }

    /**
     * Gives the action back before X was called (the bot's rate limit said wait): the claim's attempt is taken
     * back, so {@code attempts} keeps counting calls of X however often the limiter defers the action.
     */
    public CompletionStage<Void> releaseUncalled(UUID actionId, boolean outcomeUnknown, String error) {
        return release(actionId, outcomeUnknown, error, 1);
    }

    private CompletionStage<Void> release(UUID actionId, boolean outcomeUnknown, String error, int attemptsTakenBack) {
        return update("""
                UPDATE bot_action_executions SET attempts = attempts - $4, outcome_unknown = $2, error = $3, lease_until = NULL,
                    updated_at = now()
                WHERE action_id = $1""", Tuple.of(actionId, outcomeUnknown, safe(error), attemptsTakenBack));
    }

    /** Error texts may quote what X was sent (an error page echoing the Authorization header): never store a token. */
    private static String safe(String error) {
        return Redactor.redact(error, MAX_ERROR_LENGTH);
    }

    private CompletionStage<Void> update(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments).replaceWithVoid().subscribeAsCompletionStage();
    }
}
