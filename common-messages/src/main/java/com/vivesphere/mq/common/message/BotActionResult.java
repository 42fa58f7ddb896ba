package com.vivesphere.mq.common.message;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What became of a {@link BotAction}, published by bot-action-worker to exchange {@code bot_action_events}
 * with routing key {@code <status>.<botId>}. Contract: {@code schemas/bot-action-result.schema.json}.
 *
 * @param externalId the id X gave the post (POST, REPLY, QUOTE), when known
 * @param error why it failed or expired
 * @param attempts times a worker took it up, retries and throttled attempts included
 * @param dryRun the worker ran with {@code BOT_EXECUTOR=dry-run}: X was not called, an {@code externalId} is made up
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BotActionResult(
        @JsonProperty(required = true) int schemaVersion,
        @JsonProperty(required = true) UUID actionId,
        @JsonProperty(required = true) String botId,
        @JsonProperty(required = true) BotActionType type,
        @JsonProperty(required = true) BotActionStatus status,
        String externalId,
        String error,
        @JsonProperty(required = true) int attempts,
        OffsetDateTime scheduledFor,
        @JsonProperty(required = true) OffsetDateTime executedAt,
        boolean dryRun) {

    public static final String MESSAGE_TYPE = "BotActionResult";

    public BotActionResult {
        Contract.schemaVersion(schemaVersion);
        Contract.required("actionId", actionId);
        Contract.requiredText("botId", botId, Contract.MAX_NAME_LENGTH);
        Contract.required("type", type);
        Contract.required("status", status);
        Contract.required("executedAt", executedAt);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: must not be negative");
        }
    }

    public static BotActionResult of(BotAction action, BotActionStatus status, String externalId, String error, int attempts,
            OffsetDateTime executedAt, boolean dryRun) {
        return new BotActionResult(Contract.SUPPORTED_SCHEMA_VERSION, action.actionId(), action.botId(), action.type(), status,
                externalId, error, attempts, action.notBefore(), executedAt, dryRun);
    }

    /** Routing key on {@code bot_action_events}: {@code <status>.<botId>}, e.g. {@code succeeded.bot-42}. */
    public String routingKey() {
        return status.name().toLowerCase(Locale.ROOT) + "." + botId;
    }
}
