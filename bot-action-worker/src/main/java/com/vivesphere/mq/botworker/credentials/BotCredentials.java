package com.vivesphere.mq.botworker.credentials;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A bot's X identity and OAuth 2.0 user-context tokens. Never logged: {@link #toString()} hides the tokens.
 *
 * @param userId the bot's X user id (the {@code :id} of the user endpoints)
 * @param clientId the OAuth 2.0 client the tokens were issued to (needed to refresh)
 */
@RegisterForReflection
public record BotCredentials(String userId, String accessToken, String refreshToken, String clientId, Instant expiresAt) {

    public BotCredentials withTokens(String newAccessToken, String newRefreshToken, Instant newExpiresAt) {
        return new BotCredentials(userId, newAccessToken, newRefreshToken != null ? newRefreshToken : refreshToken, clientId,
                newExpiresAt);
    }

    @Override
    public String toString() {
        return "BotCredentials[userId=" + userId + ", clientId=" + clientId + ", expiresAt=" + expiresAt + ", tokens=***]";
    }
}
