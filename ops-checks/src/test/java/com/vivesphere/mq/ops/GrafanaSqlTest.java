package com.vivesphere.mq.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The expansion of Grafana's PostgreSQL macros and variables that LogsDashboardQueriesIT runs the panels with. */
class GrafanaSqlTest {

    private static final Instant FROM = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-01T13:00:00Z");
    private static final Map<String, GrafanaSql.Value> VALUES = Map.of(
            "service", new GrafanaSql.Value(List.of("auth", "o'neil"), true),
            "level", GrafanaSql.Value.single("4"),
            "search", GrafanaSql.Value.single("it's"));

    private static String expand(String sql) {
        return GrafanaSql.expand(sql, VALUES, FROM, TO, Duration.ofMinutes(1));
    }

    @Test
    void macrosExpandAsTheDataSourceExpandsThem() {
        assertThat(expand("WHERE $__timeFilter(event_time)"))
                .isEqualTo("WHERE event_time BETWEEN '2026-03-01T12:00:00Z' AND '2026-03-01T13:00:00Z'");
        assertThat(expand("SELECT $__timeGroupAlias(event_time, $__interval), $__timeGroup(event_time, '5m')"))
                .isEqualTo("SELECT floor(extract(epoch from event_time)/60)*60 AS \"time\", floor(extract(epoch from event_time)/300)*300");
        assertThat(expand("$__timeFrom() $__timeTo()")).isEqualTo("'2026-03-01T12:00:00Z' '2026-03-01T13:00:00Z'");
    }

    @Test
    void variablesAreQuotedWhereGrafanaQuotesThem() {
        assertThat(expand("service IN ($service) AND level >= $level AND ${search:sqlstring} <> ''"))
                .isEqualTo("service IN ('auth','o''neil') AND level >= 4 AND 'it''s' <> ''");
        assertThat(expand("[[level]] ${level}")).isEqualTo("4 4");
    }

    @Test
    void anUnknownMacroFormatOrVariableFails() {
        assertThatThrownBy(() -> expand("WHERE $__unixEpochFilter(t)")).hasMessageContaining("$__unixEpochFilter");
        assertThatThrownBy(() -> expand("WHERE $__timeFilter(a, b)")).hasMessageContaining("argument");
        assertThatThrownBy(() -> expand("SELECT $__timeGroup(t, 1m, 0)")).hasMessageContaining("argument");
        assertThatThrownBy(() -> expand("WHERE x = ${search:csv}")).hasMessageContaining("format csv");
        assertThatThrownBy(() -> expand("WHERE x = $nothing")).hasMessageContaining("$nothing");
        assertThatThrownBy(() -> expand("WHERE x = $__interval_ms")).hasMessageContaining("$__interval_ms");
    }

    @Test
    void theIntervalIsTheRangeOverTheDataPointsRoundedAndAtLeastTheMinimum() {
        assertThat(GrafanaSql.interval(Duration.ofHours(1), 300, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(GrafanaSql.interval(Duration.ofDays(1), 300, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(5));
        assertThat(GrafanaSql.interval(Duration.ofHours(1), 300, Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(GrafanaSql.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(GrafanaSql.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    }
}
