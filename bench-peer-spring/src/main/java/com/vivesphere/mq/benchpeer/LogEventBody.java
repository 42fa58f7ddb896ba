package com.vivesphere.mq.benchpeer;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** The JSON of one log event on {@code log_queue} (unknown fields are ignored, as Spring Boot's ObjectMapper does). */
public record LogEventBody(int schemaVersion, UUID id, OffsetDateTime timestamp, String service, Level level,
        String message, String logger, String traceId, String spanId, Map<String, String> attributes) {

    /** Stored as its ordinal (smallint): TRACE 0 ... FATAL 5. */
    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR, FATAL
    }

    /** The columns that are NOT NULL: one event without them would fail its whole batch's INSERT. */
    boolean complete() {
        return id != null && timestamp != null && service != null && level != null && message != null;
    }
}
