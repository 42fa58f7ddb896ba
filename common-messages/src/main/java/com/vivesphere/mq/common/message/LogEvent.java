package com.vivesphere.mq.common.message;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One log line from any ViveSphere service, as published to {@code log_queue}. Contract:
 * {@code schemas/log-event.schema.json}.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogEvent(
        @JsonProperty(required = true) int schemaVersion,
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) OffsetDateTime timestamp,
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) LogLevel level,
        @JsonProperty(required = true) String message,
        String logger,
        String traceId,
        String spanId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> attributes) {

    public static final String MESSAGE_TYPE = "LogEvent";
    public static final int SCHEMA_VERSION = Contract.SUPPORTED_SCHEMA_VERSION;
    public static final int MAX_MESSAGE_LENGTH = 65_536;

    public LogEvent {
        Contract.schemaVersion(schemaVersion);
        Contract.required("id", id);
        Contract.required("timestamp", timestamp);
        Contract.requiredText("service", service, Contract.MAX_NAME_LENGTH);
        Contract.required("level", level);
        Contract.required("message", message);
        Contract.optionalText("message", message, MAX_MESSAGE_LENGTH);
        Contract.optionalText("logger", logger, 256);
        Contract.optionalText("traceId", traceId, Contract.MAX_ID_LENGTH);
        Contract.optionalText("spanId", spanId, Contract.MAX_ID_LENGTH);
        attributes = Contract.immutableStrings("attributes", attributes);
    }

    /** A new event of the current schema version with a random id. */
    public static LogEvent of(OffsetDateTime timestamp, String service, LogLevel level, String message) {
        return new LogEvent(Contract.SUPPORTED_SCHEMA_VERSION, UUID.randomUUID(), timestamp, service, level, message,
                null, null, null, null);
    }

    /** Routing key on the {@code logs} exchange: {@code <level>.<service>}, e.g. {@code error.billing}. */
    public String routingKey() {
        return level.name().toLowerCase(java.util.Locale.ROOT) + "." + service;
    }
}
