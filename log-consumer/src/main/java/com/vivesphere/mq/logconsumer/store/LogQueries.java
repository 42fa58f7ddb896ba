package com.vivesphere.mq.logconsumer.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads stored log events for the query API. */
@ApplicationScoped
public class LogQueries {

    private static final String COLUMNS = "id, event_time, service, level, message, logger, trace_id, span_id, attributes";
    private static final LogLevel[] LEVELS = LogLevel.values();
    /** The lowest level in the partial index log_events_level_time. */
    private static final LogLevel INDEXED_LEVEL = LogLevel.WARN;

    @RegisterForReflection
    public record Page(List<LogEvent> items, String next) {
    }

    @RegisterForReflection
    public record Count(String service, LogLevel level, long count) {
    }

    /** A statement and its parameters, as sent: what LogIndexesIT has PostgreSQL explain. */
    record Query(String sql, List<Object> params) {
        Tuple tuple() {
            return Tuple.from(params);
        }
    }

    private final Pool pool;

    public LogQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page> search(LogFilter filter) {
        Query query = searchQuery(filter);
        return pool.preparedQuery(query.sql()).execute(query.tuple()).map(rows -> {
            List<LogEvent> items = new ArrayList<>();
            rows.forEach(row -> items.add(toEvent(row)));
            if (items.size() <= filter.limit()) {
                return new Page(items, null);
            }
            List<LogEvent> page = items.subList(0, filter.limit());
            LogEvent last = page.get(page.size() - 1);
            return new Page(List.copyOf(page), new LogCursor(last.timestamp(), last.id()).encode());
        });
    }

    static Query searchQuery(LogFilter filter) {
        List<Object> params = new ArrayList<>(List.of(filter.from(), filter.to()));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM log_events WHERE event_time >= $1 AND event_time < $2");
        filter.service().ifPresent(s -> condition(sql, params, " AND service = $", s));
        filter.minLevel().ifPresent(l -> {
            condition(sql, params, " AND level >= $", (short) l.ordinal());
            if (l.ordinal() >= INDEXED_LEVEL.ordinal()) {
                // A literal the planner can match against the partial index's predicate (V2 migration).
                sql.append(" AND level >= ").append(INDEXED_LEVEL.ordinal());
            }
        });
        filter.traceId().ifPresent(t -> condition(sql, params, " AND trace_id = $", t));
        filter.text().ifPresent(q -> condition(sql, params, " AND strpos(lower(message), lower($", q).append("))> 0"));
        filter.after().ifPresent(c -> {
            params.add(c.time());
            params.add(c.id());
            sql.append(" AND (event_time, id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        });
        params.add(filter.limit() + 1);
        sql.append(" ORDER BY event_time DESC, id DESC LIMIT $").append(params.size());
        return new Query(sql.toString(), params);
    }

    private static StringBuilder condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        params.add(value);
        return sql.append(clause).append(params.size());
    }

    public Uni<Optional<LogEvent>> find(UUID id) {
        Query query = findQuery(id);
        return pool.preparedQuery(query.sql()).execute(query.tuple())
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toEvent(rows.iterator().next())));
    }

    static Query findQuery(UUID id) {
        return new Query("SELECT " + COLUMNS + " FROM log_events WHERE id = $1 LIMIT 1", List.of(id));
    }

    public Uni<List<Count>> stats(OffsetDateTime from, OffsetDateTime to, Optional<String> service) {
        Query query = statsQuery(from, to, service);
        return pool.preparedQuery(query.sql()).execute(query.tuple()).map(rows -> {
            List<Count> counts = new ArrayList<>();
            rows.forEach(row -> counts.add(new Count(row.getString(0), LEVELS[row.getShort(1)], row.getLong(2))));
            return counts;
        });
    }

    static Query statsQuery(OffsetDateTime from, OffsetDateTime to, Optional<String> service) {
        List<Object> params = new ArrayList<>(List.of(from, to));
        StringBuilder sql = new StringBuilder(
                "SELECT service, level, count(*) FROM log_events WHERE event_time >= $1 AND event_time < $2");
        service.ifPresent(s -> condition(sql, params, " AND service = $", s));
        sql.append(" GROUP BY service, level ORDER BY service, level");
        return new Query(sql.toString(), params);
    }

    private static LogEvent toEvent(Row row) {
        var attributes = row.getJsonObject("attributes");
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        if (attributes != null) {
            attributes.forEach(entry -> strings.put(entry.getKey(), String.valueOf(entry.getValue())));
        }
        return new LogEvent(LogEvent.SCHEMA_VERSION, row.getUUID("id"), row.getOffsetDateTime("event_time"), row.getString("service"),
                LEVELS[row.getShort("level")], row.getString("message"), row.getString("logger"), row.getString("trace_id"),
                row.getString("span_id"), strings);
    }
}
