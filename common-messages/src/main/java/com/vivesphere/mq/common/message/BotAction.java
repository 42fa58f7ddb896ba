package com.vivesphere.mq.common.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An action a bot performs on X, as published to {@code bot_action_queue}. {@link #actionId()} is the
 * idempotency key. Contract: {@code schemas/bot-action.schema.json}.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BotAction(
        @JsonProperty(required = true) int schemaVersion,
        @JsonProperty(required = true) UUID actionId,
        @JsonProperty(required = true) String botId,
        @JsonProperty(required = true) BotActionType type,
        String text,
        String targetPostId,
        String targetUserId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mediaIds,
        OffsetDateTime notBefore,
        OffsetDateTime expiresAt,
        String correlationId,
        String requestedBy) {

    public static final String MESSAGE_TYPE = "BotAction";
    public static final int MAX_TEXT_LENGTH = 25_000;
    public static final int MAX_MEDIA = 4;

    public BotAction {
        Contract.schemaVersion(schemaVersion);
        Contract.required("actionId", actionId);
        Contract.requiredText("botId", botId, Contract.MAX_NAME_LENGTH);
        Contract.required("type", type);
        Contract.optionalText("text", text, MAX_TEXT_LENGTH);
        Contract.optionalText("targetPostId", targetPostId, Contract.MAX_ID_LENGTH);
        Contract.optionalText("targetUserId", targetUserId, Contract.MAX_ID_LENGTH);
        Contract.optionalText("correlationId", correlationId, Contract.MAX_NAME_LENGTH);
        Contract.optionalText("requestedBy", requestedBy, Contract.MAX_NAME_LENGTH);
        mediaIds = Contract.immutableStrings("mediaIds", mediaIds);
        if (mediaIds.size() > MAX_MEDIA) {
            throw new IllegalArgumentException("mediaIds: at most " + MAX_MEDIA + " items");
        }
        requireFieldsOf(type, text, targetPostId, targetUserId, mediaIds);
    }

    private static void requireFieldsOf(BotActionType type, String text, String targetPostId, String targetUserId,
            List<String> mediaIds) {
        switch (type.needs()) {
            case TEXT_OR_MEDIA -> {
                if (isBlank(text) && mediaIds.isEmpty()) {
                    throw new IllegalArgumentException("text: " + type + " needs text or mediaIds");
                }
            }
            case TEXT_AND_POST -> {
                requireText("text", text, type);
                requireText("targetPostId", targetPostId, type);
            }
            case POST -> requireText("targetPostId", targetPostId, type);
            case USER -> requireText("targetUserId", targetUserId, type);
        }
    }

    private static void requireText(String field, String value, BotActionType type) {
        if (isBlank(value)) {
            throw new IllegalArgumentException(field + ": required for " + type);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * When the action was due: its notBefore where that is later than its creation (the AMQP timestamp its
     * producer set, {@code createdAt}), else its creation; null when it has neither. End-to-end latency counts
     * from here, so a scheduled action does not count its planned wait.
     */
    public Instant dueSince(Instant createdAt) {
        Instant notBeforeInstant = notBefore == null ? null : notBefore.toInstant();
        if (createdAt == null || notBeforeInstant != null && notBeforeInstant.isAfter(createdAt)) {
            return notBeforeInstant;
        }
        return createdAt;
    }

    /** Routing key on the {@code bot_actions} exchange: {@code <type>.<botId>}, e.g. {@code like.bot-42}. */
    public String routingKey() {
        return type.name().toLowerCase(Locale.ROOT) + "." + botId;
    }
}
