package com.vivesphere.mq.botworker.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.failure.Redactor;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionResult;
import com.vivesphere.mq.common.message.BotActionStatus;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.runtime.rabbitmq.BrokerConnection;

/**
 * Tells the rest of the system what became of an action: a {@link BotActionResult} on exchange
 * {@code bot_action_events} (routing key {@code <status>.<botId>}) and a structured {@link LogEvent} to
 * the Logging System. The stage completes once the broker confirmed both, so the action's message is
 * acked only when its result is safe. In a dry run both say so ({@code dryRun}).
 */
@ApplicationScoped
public class ResultPublisher {

    private final ConfirmingPublisher publisher;
    private final MessageCodec codec = new MessageCodec();
    private final String service;
    private final boolean dryRun;

    public ResultPublisher(BrokerConnection broker, BotWorkerConfig config,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "bot-action-worker") String service) {
        this.publisher = broker.publisher();
        this.service = service;
        this.dryRun = config.executor() == BotWorkerConfig.Executor.DRY_RUN;
    }

    public CompletionStage<Void> publish(BotAction action, BotActionStatus status, String externalId, String error,
            int attempts) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String safeError = Redactor.redact(error, 1_000);
        BotActionResult result = BotActionResult.of(action, status, externalId, safeError, attempts, now, dryRun);
        CompletableFuture<Void> resultConfirmed = publisher.publish(Topology.BOT_ACTION_EVENT_EXCHANGE, result.routingKey(),
                MessagePublisher.properties(action.actionId() + ":" + status, BotActionResult.MESSAGE_TYPE), codec.encode(result))
                .toCompletableFuture();
        LogEvent event = logEvent(action, status, externalId, safeError, attempts, now);
        CompletableFuture<Void> logConfirmed = publisher.publish(Topology.LOG_EXCHANGE, event.routingKey(),
                MessagePublisher.properties(event.id().toString(), LogEvent.MESSAGE_TYPE), codec.encode(event))
                .toCompletableFuture();
        return CompletableFuture.allOf(resultConfirmed, logConfirmed);
    }

    private LogEvent logEvent(BotAction action, BotActionStatus status, String externalId, String error, int attempts,
            OffsetDateTime now) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("actionId", action.actionId().toString());
        attributes.put("botId", action.botId());
        attributes.put("type", action.type().name());
        attributes.put("status", status.name());
        attributes.put("attempts", String.valueOf(attempts));
        if (externalId != null) {
            attributes.put("externalId", externalId);
        }
        if (action.correlationId() != null) {
            attributes.put("correlationId", action.correlationId());
        }
        if (dryRun) {
            attributes.put("dryRun", "true");
        }
        LogLevel level = switch (status) {
            case SUCCEEDED, SKIPPED_DUPLICATE -> LogLevel.INFO;
            case EXPIRED -> LogLevel.WARN;
            case FAILED -> LogLevel.ERROR;
        };
        String message = (dryRun ? "dry-run: " : "") + "bot " + action.botId() + " " + action.type() + " " + status.name().toLowerCase(Locale.ROOT)
                + (error != null ? ": " + error : "");
        return new LogEvent(LogEvent.SCHEMA_VERSION, UUID.randomUUID(), now, service, level, message,
                "bot-action-worker.executor", null, null, attributes);
    }
}
