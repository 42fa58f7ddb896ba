package com.vivesphere.mq.botworker.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.common.message.BotAction;

/**
 * The X API v2 calls of the worker: over HTTP ({@link HttpXClient}, {@code BOT_EXECUTOR=x}) or answered without
 * calling X ({@link DryRunXClient}, {@code BOT_EXECUTOR=dry-run}). Every answer is an {@link XResponse}; a stage
 * fails only when no response came (timeout, connection error), in which case the request may or may not have
 * reached X.
 */
public interface XClient {

    /** A new token pair from {@code POST /2/oauth2/token}. */
    record TokenGrant(String accessToken, String refreshToken, Instant expiresAt) {
    }

    /** A post of the bot, as listed by its timeline. */
    record Post(String id, String text) {
    }

    /** Carries out {@code action} as the bot whose X user id is {@code userId}. */
    CompletionStage<XResponse> execute(BotAction action, String userId, String accessToken);

    /** The bot's posts created since {@code since} (at most 100, newest first). */
    CompletionStage<XResponse> recentPosts(String userId, String accessToken, Instant since);

    /** Refreshes a token pair; the response is answered as is (a 400 or 401 means the refresh token is no good). */
    CompletionStage<XResponse> refresh(String refreshToken, String clientId);

    static List<Post> posts(XResponse response) {
        List<Post> posts = new ArrayList<>();
        response.body().path("data").forEach(post -> posts.add(new Post(post.path("id").asText(), post.path("text").asText())));
        return posts;
    }

    static Optional<TokenGrant> grant(XResponse response, Instant now) {
        JsonNode body = response.body();
        if (!response.isSuccess() || !body.path("access_token").isTextual()) {
            return Optional.empty();
        }
        String refreshToken = body.path("refresh_token").isTextual() ? body.path("refresh_token").asText() : null;
        return Optional.of(new TokenGrant(body.path("access_token").asText(), refreshToken,
                now.plusSeconds(body.path("expires_in").asLong(7_200))));
    }
}
