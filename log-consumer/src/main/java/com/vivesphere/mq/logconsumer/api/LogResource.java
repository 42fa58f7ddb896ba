package com.vivesphere.mq.logconsumer.api;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.logconsumer.store.LogCursor;
import com.vivesphere.mq.logconsumer.store.LogFilter;
import com.vivesphere.mq.logconsumer.store.LogQueries;
import com.vivesphere.mq.logconsumer.store.TimeWindow;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Query API of the stored log events. Times are ISO-8601 with an offset; {@code from} is inclusive, {@code to}
 * exclusive. Without {@code from} the window starts where the retention window starts (now minus the retention),
 * whatever {@code to} is; without {@code to} it ends now.
 */
@Path("/logs")
@Produces(MediaType.APPLICATION_JSON)
public class LogResource {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    static final int MAX_TEXT = 200;

    @RegisterForReflection
    public record Stats(OffsetDateTime from, OffsetDateTime to, List<LogQueries.Count> counts) {
    }

    private final LogQueries queries;
    private final Duration retention;

    public LogResource(LogQueries queries, LogConsumerConfig config) {
        this.queries = queries;
        this.retention = config.retention();
    }

    @GET
    public Uni<LogQueries.Page> search(@RestQuery String service, @RestQuery String level, @RestQuery String from,
            @RestQuery String to, @RestQuery String q, @RestQuery String traceId, @RestQuery String limit,
            @RestQuery String cursor) {
        TimeWindow window = window(from, to);
        LogFilter filter = new LogFilter(window.from(), window.to(), text("service", service, 128), level(level), text("q", q, MAX_TEXT),
                text("traceId", traceId, 64), limit(limit), cursor(cursor));
        return queries.search(filter);
    }

    @GET
    @Path("/stats")
    public Uni<Stats> stats(@RestQuery String from, @RestQuery String to, @RestQuery String service) {
        TimeWindow window = window(from, to);
        return queries.stats(window.from(), window.to(), text("service", service, 128))
                .map(counts -> new Stats(window.from(), window.to(), counts));
    }

    @GET
    @Path("/{id}")
    public Uni<LogEvent> find(@RestPath String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("id", "not a UUID");
        }
        return queries.find(uuid).map(found -> found.orElseThrow(() -> new NotFoundException("No log event " + id)));
    }

    private static Optional<OffsetDateTime> time(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value));
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, "expected an ISO-8601 date-time with offset, e.g. 2026-11-26T10:00:00Z");
        }
    }

    private TimeWindow window(String from, String to) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime end = time("to", to).orElse(now);
        Optional<OffsetDateTime> start = time("from", from);
        if (start.isPresent() && !start.get().isBefore(end)) {
            throw new BadParameterException("from", "must be before 'to'");
        }
        OffsetDateTime retained = now.minus(retention);
        if (start.isEmpty() && !retained.isBefore(end)) {
            throw new BadParameterException("to", "before the retention window, which starts at " + retained
                    + " (events are kept for " + retention + ")");
        }
        return new TimeWindow(start.orElse(retained), end);
    }

    private static Optional<String> text(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > maxLength) {
            throw new BadParameterException(name, "longer than " + maxLength + " characters");
        }
        if (value.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL, so no stored event could match (stored NULs are U+FFFD)
            throw new BadParameterException(name, "contains a NUL character");
        }
        return Optional.of(value);
    }

    private static Optional<LogLevel> level(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LogLevel.valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("level", "one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException("limit", "a whole number from 1 to " + MAX_LIMIT);
    }

    private static Optional<LogCursor> cursor(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LogCursor.decode(value)
                .orElseThrow(() -> new BadParameterException("cursor", "not a cursor returned by this API")));
    }
}
