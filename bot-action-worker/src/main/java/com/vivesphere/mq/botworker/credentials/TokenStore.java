package com.vivesphere.mq.botworker.credentials;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.vivesphere.mq.botworker.client.XClient;
import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.common.failure.ProcessingFailure;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A bot's current tokens: those of the credentials file, or the pair a worker refreshed since (kept in
 * PostgreSQL, because X rotates refresh tokens: every replica must use the latest pair). Refreshing takes a
 * per-bot lock, so replicas that all see a 401 refresh once between them. A dry run sends no token: it takes the
 * bot's user id from the file, if there, and never refreshes (a made-up pair stored here would replace the real one).
 */
@ApplicationScoped
public class TokenStore {

    /** Reason of the dead letter of an action whose bot cannot authenticate. */
    public static final String AUTH = "auth";

    private static final Logger LOG = Logger.getLogger(TokenStore.class);
    /** Tokens are read from PostgreSQL at most this often per bot (another replica may have refreshed them). */
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Cached(BotCredentials fromFile, BotCredentials credentials, long loadedAt) {
    }

    private final Map<String, Cached> recent = new ConcurrentHashMap<>();

    private final CredentialsFile file;
    private final Pool pool;
    private final XClient client;
    private final Duration refreshMargin;
    private final boolean dryRun;

    public TokenStore(CredentialsFile file, Pool pool, XClient client, BotWorkerConfig config) {
        this.file = file;
        this.pool = pool;
        this.client = client;
        this.refreshMargin = config.tokenRefreshMargin();
        this.dryRun = config.executor() == BotWorkerConfig.Executor.DRY_RUN;
    }

    /**
     * The bot's credentials, refreshed first if the access token is about to expire. In a dry run, those of the
     * file as they are, or for a bot the file does not name, credentials without a user id.
     */
    public CompletionStage<BotCredentials> current(String botId) {
        if (dryRun) {
            return CompletableFuture.completedFuture(
                    file.get(botId).orElseGet(() -> new BotCredentials(null, null, null, null, Instant.MAX)));
        }
        BotCredentials fromFile = file.get(botId).orElseThrow(() -> ProcessingFailure.permanent("unknown-bot",
                "unknown-bot", "no X credentials for bot " + botId + " in BOT_CREDENTIALS_FILE"));
        Cached cached = recent.get(botId);
        if (cached != null && cached.fromFile().equals(fromFile) && System.nanoTime() - cached.loadedAt() < CACHE_NANOS
                && !expiring(cached.credentials())) {
            return CompletableFuture.completedFuture(cached.credentials());
        }
        return pool.preparedQuery("SELECT access_token, refresh_token, expires_at FROM x_bot_tokens WHERE bot_id = $1")
                .execute(Tuple.of(botId))
                .map(rows -> newest(fromFile, rows))
                .chain(credentials -> expiring(credentials) ? refreshed(botId, credentials.accessToken())
                        : Uni.createFrom().item(credentials))
                .invoke(credentials -> recent.put(botId, new Cached(fromFile, credentials, System.nanoTime())))
                .subscribeAsCompletionStage();
    }

    /** After X refused {@code rejectedAccessToken} (401): a new pair, unless another worker already got one. */
    public CompletionStage<BotCredentials> refresh(String botId, String rejectedAccessToken) {
        recent.remove(botId);
        return refreshed(botId, rejectedAccessToken).subscribeAsCompletionStage();
    }

    private Uni<BotCredentials> refreshed(String botId, String rejectedAccessToken) {
        BotCredentials fromFile = file.get(botId).orElseThrow();
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtext('x_bot_tokens:' || $1))").execute(Tuple.of(botId))
                .chain(locked -> connection.preparedQuery(
                        "SELECT access_token, refresh_token, expires_at FROM x_bot_tokens WHERE bot_id = $1")
                        .execute(Tuple.of(botId)))
                .map(rows -> newest(fromFile, rows))
                .chain(latest -> !latest.accessToken().equals(rejectedAccessToken) && !expiring(latest)
                        ? Uni.createFrom().item(latest) // another worker refreshed meanwhile
                        : grant(botId, latest, connection)));
    }

    private Uni<BotCredentials> grant(String botId, BotCredentials latest, SqlConnection connection) {
        if (latest.refreshToken() == null || latest.clientId() == null) {
            return Uni.createFrom().failure(ProcessingFailure.permanent(AUTH, "auth",
                    "X refused the access token of bot " + botId + " and it has no refresh token and client id"));
        }
        Instant now = Instant.now();
        return Uni.createFrom().completionStage(() -> client.refresh(latest.refreshToken(), latest.clientId()))
                .chain(response -> {
                    var grant = XClient.grant(response, now);
                    if (grant.isEmpty()) {
                        return Uni.createFrom().failure(ProcessingFailure.permanent(AUTH, "auth",
                                "X refused to refresh the token of bot " + botId + ": " + response.detail()));
                    }
                    BotCredentials renewed = latest.withTokens(grant.get().accessToken(), grant.get().refreshToken(),
                            grant.get().expiresAt());
                    LOG.infof("Refreshed the X access token of bot %s; valid until %s", botId, renewed.expiresAt());
                    return connection.preparedQuery("""
                            INSERT INTO x_bot_tokens (bot_id, access_token, refresh_token, expires_at) VALUES ($1, $2, $3, $4)
                            ON CONFLICT (bot_id) DO UPDATE SET access_token = EXCLUDED.access_token,
                                refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at, updated_at = now()""")
                            .execute(Tuple.of(botId, renewed.accessToken(), renewed.refreshToken(),
                                    OffsetDateTime.ofInstant(renewed.expiresAt(), ZoneOffset.UTC)))
                            .replaceWith(renewed);
                });
    }

    private boolean expiring(BotCredentials credentials) {
        return credentials.expiresAt().minus(refreshMargin).isBefore(Instant.now());
    }

    /**
     * The refreshed pair, unless the file holds a later one (an operator put new tokens there). A file
     * without {@code expiresAt} never wins over a refreshed pair: its refresh token was used up.
     */
    private static BotCredentials newest(BotCredentials fromFile, RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return fromFile;
        }
        Row row = rows.iterator().next();
        Instant storedExpiry = row.getOffsetDateTime("expires_at").toInstant();
        return fromFile.expiresAt().equals(Instant.MAX) || storedExpiry.isAfter(fromFile.expiresAt())
                ? fromFile.withTokens(row.getString("access_token"), row.getString("refresh_token"), storedExpiry)
                : fromFile;
    }
}
