package com.vivesphere.mq.logconsumer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every index of {@code log_events} serves a query of the API: PostgreSQL's plan for each query, exactly as
 * LogQueries sends it, on a day of realistic rows (most INFO, 5% WARN, 0.1% ERROR, 20 services). The level
 * index is for the rare levels: where the matches are many, reading the primary key backwards and filtering
 * finds a page sooner, and the planner rightly takes it.
 */
@QuarkusTest
@TestProfile(LogIndexesIT.OwnDatabase.class)
@WithTestResource(TestBrokerAndDatabaseResource.class)
class LogIndexesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROWS = 100_000;

    /** An application and a database of this class's own, so its rows meet no other test. */
    public static class OwnDatabase implements QuarkusTestProfile {
    }

    @Inject
    Pool pool;

    private final String today = "log_events_p" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "");
    private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    @BeforeEach
    void fillOneDay() {
        long rows = pool.query("SELECT count(*) FROM log_events").execute().await().atMost(WAIT).iterator().next().getLong(0);
        if (rows > 0) {
            return;
        }
        // Within today only (the partition the API's newest-first reads start with).
        pool.preparedQuery("""
                INSERT INTO log_events (id, event_time, service, level, message, logger, trace_id, span_id, attributes)
                SELECT gen_random_uuid(), date_trunc('day', now()) + (now() - date_trunc('day', now())) * random(),
                       'service-' || (i % 20), CASE WHEN i % 1000 = 0 THEN 4 WHEN i % 20 = 0 THEN 3 ELSE 2 END,
                       'GET /api/v1/bots/' || i || ' 200 in 12 ms', 'http.access', md5(i::text), substr(md5(i::text), 1, 16),
                       '{"region":"eu-west-1"}'
                FROM generate_series(1, $1) i""").execute(Tuple.of(ROWS)).await().atMost(WAIT);
        pool.query("ANALYZE log_events").execute().await().atMost(WAIT);
    }

    private String plan(LogQueries.Query query) {
        return StreamSupport.stream(pool.preparedQuery("EXPLAIN " + query.sql()).execute(query.tuple()).await().atMost(WAIT)
                .spliterator(), false).map((Row row) -> row.getString(0)).collect(Collectors.joining("\n"));
    }

    private LogFilter filter(Optional<String> service, Optional<LogLevel> level, Optional<String> traceId) {
        return new LogFilter(now.minusDays(7), now, service, level, Optional.empty(), traceId, 100, Optional.empty());
    }

    @Test
    void theseAreAllTheIndexes() {
        var names = StreamSupport.stream(pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'log_events'").execute()
                .await().atMost(WAIT).spliterator(), false).map((Row row) -> row.getString(0)).toList();

        assertThat(names).containsExactlyInAnyOrder("log_events_pkey", "log_events_service_time", "log_events_level_time",
                "log_events_trace", "log_events_id");
    }

    @Test
    void newestFirstReadsThePrimaryKeyBackwards() {
        assertThat(plan(LogQueries.searchQuery(filter(Optional.empty(), Optional.empty(), Optional.empty()))))
                .contains("Index Scan Backward using " + today + "_pkey");
    }

    @Test
    void oneServiceReadsTheServiceIndex() {
        assertThat(plan(LogQueries.searchQuery(filter(Optional.of("service-7"), Optional.empty(), Optional.empty()))))
                .contains("using " + today + "_service_event_time_idx");
    }

    @Test
    void errorsAndAboveReadTheLevelIndex() {
        assertThat(plan(LogQueries.searchQuery(filter(Optional.empty(), Optional.of(LogLevel.ERROR), Optional.empty()))))
                .contains("using " + today + "_level_event_time_idx");
    }

    @Test
    void oneTraceReadsTheTraceIndex() {
        assertThat(plan(LogQueries.searchQuery(filter(Optional.empty(), Optional.empty(), Optional.of("c4ca4238a0b923820dcc509a6f75849b")))))
                .contains("using " + today + "_trace_id_idx");
    }

    @Test
    void oneEventByIdReadsTheIdHashIndex() {
        assertThat(plan(LogQueries.findQuery(UUID.randomUUID()))).contains("using " + today + "_id_idx");
    }
}
