package com.vivesphere.mq.botworker.ratelimit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.botworker.client.RateLimit;
import com.vivesphere.mq.botworker.config.BotWorkerConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * X's rate-limit buckets per bot and endpoint, shared by every replica through PostgreSQL (the worker's
 * database already, and the reservation is one atomic statement; Redis would be a second store to run and
 * secure for the same guarantee). A call is made only after a reservation took one from the bucket's
 * remaining calls; an empty bucket answers when it resets, so the action is retried then instead of X
 * being called. The first call of a window (bucket unknown or reset passed) goes alone: its response
 * tells the window, and the others wait for it at most {@code rateLimitProbeWait}.
 *
 * <p>Gauge {@code vivesphere_x_rate_limit_remaining{bot,endpoint}}: what X said was left, as last seen here.
 */
@ApplicationScoped
public class RateLimiter {

    private static final String RESERVE = """
            WITH reserved AS (
                INSERT INTO x_rate_limits AS b (bot_id, endpoint, rate_limit, remaining, reset_at)
                VALUES ($1, $2, NULL, 0, now() + make_interval(secs => $3::float8))
                ON CONFLICT (bot_id, endpoint) DO UPDATE SET
                    rate_limit = CASE WHEN b.reset_at <= now() THEN NULL ELSE b.rate_limit END,
                    remaining = CASE WHEN b.reset_at <= now() THEN 0 ELSE b.remaining - 1 END,
                    reset_at = CASE WHEN b.reset_at <= now() THEN EXCLUDED.reset_at ELSE b.reset_at END
                WHERE b.reset_at <= now() OR b.remaining > 0
                RETURNING 1)
            SELECT (SELECT count(*) FROM reserved) AS granted, b.rate_limit, b.reset_at,
                (b.reset_at <= now() OR b.remaining > 0) AS looked_open
            FROM (SELECT 1) one LEFT JOIN x_rate_limits b ON b.bot_id = $1 AND b.endpoint = $2""";

    /** The window a response named; calls reserved since its headers were written count against it. */
    private static final String RECORD = """
            INSERT INTO x_rate_limits AS b (bot_id, endpoint, rate_limit, remaining, reset_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (bot_id, endpoint) DO UPDATE SET
                rate_limit = EXCLUDED.rate_limit,
                remaining = CASE WHEN b.reset_at = EXCLUDED.reset_at THEN LEAST(b.remaining, EXCLUDED.remaining)
                                 ELSE EXCLUDED.remaining END,
                reset_at = EXCLUDED.reset_at""";

    private final Pool pool;
    private final MeterRegistry registry;
    private final double probeWaitSeconds;
    private final Map<String, AtomicInteger> remainingGauges = new ConcurrentHashMap<>();

    public RateLimiter(Pool pool, MeterRegistry registry, BotWorkerConfig config) {
        this.pool = pool;
        this.registry = registry;
        this.probeWaitSeconds = config.rateLimitProbeWait().toMillis() / 1000.0;
    }

    /** Takes one call from the bucket: empty when granted, else the instant to try again. */
    public CompletionStage<Optional<Instant>> reserve(String botId, String endpoint) {
        return pool.preparedQuery(RESERVE).execute(Tuple.of(botId, endpoint, probeWaitSeconds)).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getLong("granted") > 0) {
                return Optional.<Instant>empty();
            }
            OffsetDateTime reset = row.getOffsetDateTime("reset_at");
            Instant soon = Instant.now().plusSeconds(1);
            // The statement's snapshot is older than the row the refusal saw when another call created the bucket or
            // recorded a response (a 429) meanwhile: its reset_at may be a window already gone. Look again shortly.
            if (reset == null || Boolean.TRUE.equals(row.getBoolean("looked_open"))) {
                return Optional.of(soon);
            }
            // A window being probed ends when the probe's answer arrives: look again shortly, not at the probe deadline.
            return Optional.of(row.getValue("rate_limit") == null ? earliest(reset.toInstant(), soon) : reset.toInstant());
        }).subscribeAsCompletionStage();
    }

    /** Stores the window X's response headers named. */
    public CompletionStage<Void> record(String botId, String endpoint, RateLimit limit) {
        gauge(botId, endpoint).set(limit.remaining());
        return pool.preparedQuery(RECORD)
                .execute(Tuple.of(botId, endpoint, limit.limit(), limit.remaining(),
                        OffsetDateTime.ofInstant(limit.reset(), ZoneOffset.UTC)))
                .replaceWithVoid().subscribeAsCompletionStage();
    }

    /**
     * A response without rate-limit headers ends the probe without telling the window: the next call
     * probes again (X sends the headers on every response; proxies and error pages may not).
     */
    public CompletionStage<Void> endProbe(String botId, String endpoint) {
        return pool.preparedQuery("DELETE FROM x_rate_limits WHERE bot_id = $1 AND endpoint = $2 AND rate_limit IS NULL")
                .execute(Tuple.of(botId, endpoint)).replaceWithVoid().subscribeAsCompletionStage();
    }

    private AtomicInteger gauge(String botId, String endpoint) {
        return remainingGauges.computeIfAbsent(botId + " " + endpoint, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("vivesphere.x.rate.limit.remaining", value, AtomicInteger::get)
                    .description("Calls left in the bot's current X rate-limit window, as X last said")
                    .tag("bot", botId).tag("endpoint", endpoint).register(registry);
            return value;
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
