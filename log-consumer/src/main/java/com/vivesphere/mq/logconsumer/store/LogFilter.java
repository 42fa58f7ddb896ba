package com.vivesphere.mq.logconsumer.store;

import java.time.OffsetDateTime;
import java.util.Optional;

import com.vivesphere.mq.common.message.LogLevel;

/**
 * What {@link LogQueries#search} returns: events in {@code [from, to)}, optionally of one service, at or
 * above a level, whose message contains a text, of one trace; newest first, after {@code after}.
 */
public record LogFilter(OffsetDateTime from, OffsetDateTime to, Optional<String> service, Optional<LogLevel> minLevel,
        Optional<String> text, Optional<String> traceId, int limit, Optional<LogCursor> after) {
}
