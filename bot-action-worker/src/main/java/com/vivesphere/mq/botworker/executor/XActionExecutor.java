package com.vivesphere.mq.botworker.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.vivesphere.mq.botworker.client.RateLimit;
import com.vivesphere.mq.botworker.client.XClient;
import com.vivesphere.mq.botworker.client.XRequest;
import com.vivesphere.mq.botworker.client.XResponse;
import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.botworker.credentials.BotCredentials;
import com.vivesphere.mq.botworker.credentials.TokenStore;
import com.vivesphere.mq.botworker.events.ResultPublisher;
import com.vivesphere.mq.botworker.ledger.Claim;
import com.vivesphere.mq.botworker.ledger.ExecutionLedger;
import com.vivesphere.mq.botworker.ratelimit.RateLimiter;
import com.vivesphere.mq.common.failure.Failure;
import com.vivesphere.mq.common.failure.FailureClass;
import com.vivesphere.mq.common.failure.NotDueYet;
import com.vivesphere.mq.common.failure.ProcessingFailure;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionStatus;
import com.vivesphere.mq.common.message.BotActionType;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Executes actions on the X API v2 (through the {@link XClient} that {@code BOT_EXECUTOR} selects): on time,
 * within the bot's rate limits, and once; the message is acked only when the returned stage succeeds. Order per action:
 * deadline and schedule checks; the ledger claim (an action that already succeeded is acknowledged without
 * calling X; the outcome counts as unknown from here until recorded); reconciliation of an earlier attempt
 * with an unknown outcome; a rate-limit reservation; the call; the outcome, recorded before the result is
 * published and the message acked.
 *
 * <p>
 * Everything is non-blocking; the steps that publish to the broker run on worker threads, never on an
 * event loop.
 */
@ApplicationScoped
public class XActionExecutor {

    private static final Logger LOG = Logger.getLogger(XActionExecutor.class);
    /** How soon an action held by another worker (a duplicate delivery) is looked at again. */
    private static final Duration HELD_ELSEWHERE_RETRY = Duration.ofSeconds(5);
    /** How soon an action of a bot with all its slots taken is looked at again. */
    private static final Duration BOT_BUSY_RETRY = Duration.ofSeconds(1);
    /** When a 429 names no reset time. */
    private static final Duration RATE_LIMIT_FALLBACK = Duration.ofMinutes(1);
    /** Posts with an unknown outcome are looked for from this long before the action was first taken. */
    private static final Duration RECONCILE_MARGIN = Duration.ofMinutes(1);

    private final XClient client;
    private final TokenStore tokens;
    private final RateLimiter rateLimiter;
    private final ExecutionLedger ledger;
    private final ResultPublisher results;
    private final MeterRegistry registry;
    private final BotSlots slots;
    private final Executor worker = Infrastructure.getDefaultWorkerPool();

    public XActionExecutor(XClient client, TokenStore tokens, RateLimiter rateLimiter, ExecutionLedger ledger,
            ResultPublisher results, MeterRegistry registry, BotWorkerConfig config) {
        this.client = client;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.ledger = ledger;
        this.results = results;
        this.registry = registry;
        this.slots = new BotSlots(config.maxInFlightPerBot());
    }

    public CompletionStage<Void> execute(BotAction action) {
        Instant now = Instant.now();
        if (action.expiresAt() != null && !action.expiresAt().toInstant().isAfter(now)) {
            String reason = "expiresAt " + action.expiresAt() + " passed before it could be executed";
            return results.publish(action, BotActionStatus.EXPIRED, null, reason, 0)
                    .thenCompose(published -> fail(ProcessingFailure.expired(reason)));
        }
        if (action.notBefore() != null && action.notBefore().toInstant().isAfter(now)) {
            return fail(new NotDueYet(action.notBefore().toInstant()));
        }
        if (!slots.tryAcquire(action.botId())) {
            return fail(new NotDueYet(now.plus(BOT_BUSY_RETRY)));
        }
        CompletionStage<Void> execution;
        try {
            execution = ledger.claim(action).thenComposeAsync(claim -> onClaim(action, claim), worker);
        } catch (RuntimeException e) {
            execution = fail(e);
        }
        return execution.whenCompleteAsync((done, failure) -> {
            slots.release(action.botId());
            count(action, failure == null ? "settled" : failure instanceof NotDueYet ? "deferred" : "failed");
        }, worker);
    }

    private CompletionStage<Void> onClaim(BotAction action, Claim claim) {
        return switch (claim.kind()) {
            case ALREADY_SUCCEEDED -> {
                LOG.infof("Action %s of bot %s already succeeded (X id %s); not calling X again", action.actionId(),
                        action.botId(), claim.externalId());
                yield results.publish(action, BotActionStatus.SKIPPED_DUPLICATE, claim.externalId(), null, claim.attempts());
            }
            case HELD_ELSEWHERE -> fail(new NotDueYet(Instant.now().plus(HELD_ELSEWHERE_RETRY)));
            case EXECUTE -> {
                CompletionStage<Void> attempt;
                try {
                    attempt = tokens.current(action.botId())
                            .thenCompose(credentials -> reconcileThenCall(action, claim, credentials));
                } catch (RuntimeException e) {
                    attempt = fail(e);
                }
                yield attempt.exceptionallyCompose(failure -> settleFailure(action, claim, failure));
            }
        };
    }

    /** Records a failure the call steps did not record themselves (no credentials, token refresh refused, ...). */
    private CompletionStage<Void> settleFailure(BotAction action, Claim claim, Throwable failure) {
        Throwable cause = Failure.unwrap(failure);
        if (cause instanceof Settled settled) {
            return fail(settled.getCause());
        }
        if (cause instanceof ProcessingFailure processing && processing.failureClass() == FailureClass.PERMANENT) {
            return failPermanently(action, claim, processing).exceptionallyCompose(this::unwrapSettled);
        }
        return ledger.release(action.actionId(), claim.outcomeUnknown(), String.valueOf(cause.getMessage()))
                .thenCompose(released -> fail(cause));
    }

    private CompletionStage<Void> unwrapSettled(Throwable failure) {
        Throwable cause = Failure.unwrap(failure);
        return fail(cause instanceof Settled ? cause.getCause() : cause);
    }

    private CompletionStage<Void> reconcileThenCall(BotAction action, Claim claim, BotCredentials credentials) {
        if (!claim.outcomeUnknown() || !createsPost(action.type())) {
            // Likes, reposts, follows and their undoing are idempotent on X: calling again is the reconciliation.
            return call(action, claim, credentials, false);
        }
        Instant since = claim.since().minus(RECONCILE_MARGIN);
        return client.recentPosts(credentials.userId(), credentials.accessToken(), since).thenCompose(response -> {
            if (!response.isSuccess()) {
                return settled(action, claim, true, ProcessingFailure.transientFailure("reconcile-failed",
                        "http-" + response.status(), "cannot list the bot's posts to reconcile: " + response.detail()));
            }
            Optional<XClient.Post> existing = XClient.posts(response).stream()
                    .filter(post -> samePost(post.text(), action.text())).findFirst();
            if (existing.isPresent()) {
                LOG.infof("Action %s: the earlier attempt did post (X id %s); not posting again", action.actionId(),
                        existing.get().id());
                return succeed(action, claim, existing.get().id());
            }
            return call(action, claim, credentials, false);
        });
    }

    private CompletionStage<Void> call(BotAction action, Claim claim, BotCredentials credentials, boolean afterRefresh) {
        String bucket = XRequest.of(action, credentials.userId()).bucket();
        return rateLimiter.reserve(action.botId(), bucket).thenCompose(wait -> {
            if (wait.isPresent()) {
                ProcessingFailure throttled = ProcessingFailure.throttled("rate-limited", wait.get(),
                        "bot " + action.botId() + " has no calls left on " + bucket + " until " + wait.get());
                if (afterRefresh) {
                    // X was called (it refused the old token): the attempt stays counted.
                    return settled(action, claim, claim.outcomeUnknown(), throttled);
                }
                return ledger.releaseUncalled(action.actionId(), claim.outcomeUnknown(), throttled.getMessage())
                        .thenCompose(released -> fail(new Settled(throttled)));
            }
            return client.execute(action, credentials.userId(), credentials.accessToken())
                    .handle((response, noResponse) -> noResponse == null
                            ? onResponse(action, claim, credentials, bucket, afterRefresh, response)
                            : settled(action, claim, true, ProcessingFailure.transientFailure("x-unreachable",
                                    "no answer from X; the request may have been carried out: " + noResponse, noResponse)))
                    .thenCompose(Function.identity());
        });
    }

    private CompletionStage<Void> onResponse(BotAction action, Claim claim, BotCredentials credentials, String bucket,
            boolean afterRefresh, XResponse response) {
        // The bucket is written beside the outcome, not before it: one round trip less per action.
        CompletableFuture<Void> recorded = response.rateLimit()
                .map(limit -> rateLimiter.record(action.botId(), bucket, limit))
                .orElseGet(() -> rateLimiter.endProbe(action.botId(), bucket)).toCompletableFuture();
        return outcome(action, claim, credentials, afterRefresh, response)
                .thenCombine(recorded.exceptionally(failure -> {
                    LOG.warnf("Could not store the rate-limit window of bot %s: %s", action.botId(), failure.toString());
                    return null;
                }), (done, stored) -> done);
    }

    private CompletionStage<Void> outcome(BotAction action, Claim claim, BotCredentials credentials, boolean afterRefresh,
            XResponse response) {
        int status = response.status();
        String detail = "X answered " + status + ": " + response.detail();
        if (response.isSuccess()) {
            return succeed(action, claim, response.externalId().orElse(null));
        }
        if (status == 401 && !afterRefresh) {
            return tokens.refresh(action.botId(), credentials.accessToken())
                    .thenCompose(renewed -> call(action, claim, renewed, true));
        }
        if (status == 401) {
            return failPermanently(action, claim, ProcessingFailure.permanent(TokenStore.AUTH, "http-401",
                    "X refused the bot's freshly refreshed token: " + detail));
        }
        if (status == 429) {
            Instant reset = response.rateLimit().map(RateLimit::reset).orElse(Instant.now().plus(RATE_LIMIT_FALLBACK));
            return settled(action, claim, false, ProcessingFailure.throttled("rate-limited", reset, detail));
        }
        if (response.isDuplicateContent() && claim.outcomeUnknown()) {
            LOG.infof("Action %s: X calls the post a duplicate after an attempt with an unknown outcome: it was posted",
                    action.actionId());
            return succeed(action, claim, null);
        }
        if (status >= 500) {
            return settled(action, claim, createsPost(action.type()),
                    ProcessingFailure.transientFailure("x-server-error", "http-" + status, detail));
        }
        return failPermanently(action, claim, ProcessingFailure.permanent("x-rejected", "http-" + status, detail));
    }

    /** Gives the action back to the ledger for a later attempt, then fails with {@code failure}. */
    private CompletionStage<Void> settled(BotAction action, Claim claim, boolean outcomeUnknown, ProcessingFailure failure) {
        return ledger.release(action.actionId(), outcomeUnknown, failure.getMessage())
                .thenCompose(released -> fail(new Settled(failure)));
    }

    /** Records the action as failed for good and publishes its FAILED result, then fails with {@code failure}. */
    private CompletionStage<Void> failPermanently(BotAction action, Claim claim, ProcessingFailure failure) {
        return ledger.failed(action.actionId(), failure.getMessage())
                .thenComposeAsync(recorded -> results.publish(action, BotActionStatus.FAILED, null, failure.getMessage(),
                        claim.attempts()), worker)
                .thenCompose(published -> fail(new Settled(failure)));
    }

    /** A failure whose outcome is already in the ledger. */
    private static final class Settled extends RuntimeException {
        Settled(ProcessingFailure failure) {
            super(failure.getMessage(), failure, false, false);
        }
    }

    private static boolean createsPost(BotActionType type) {
        return type == BotActionType.POST || type == BotActionType.REPLY || type == BotActionType.QUOTE;
    }

    /** X returns a reply's text with the mentions it added in front. */
    private static boolean samePost(String listed, String sent) {
        return sent != null && listed != null && (listed.equals(sent) || listed.endsWith(" " + sent));
    }

    private CompletionStage<Void> succeed(BotAction action, Claim claim, String externalId) {
        return ledger.succeeded(action.actionId(), externalId)
                .thenComposeAsync(recorded -> results.publish(action, BotActionStatus.SUCCEEDED, externalId, null,
                        claim.attempts()), worker);
    }

    private void count(BotAction action, String outcome) {
        registry.counter("vivesphere.bot.actions", "type", action.type().name(), "outcome", outcome).increment();
    }

    private static <T> CompletionStage<T> fail(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }
}
