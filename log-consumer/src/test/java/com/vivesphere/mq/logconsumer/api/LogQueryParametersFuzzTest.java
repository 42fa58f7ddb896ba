package com.vivesphere.mq.logconsumer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.logconsumer.store.LogFilter;
import com.vivesphere.mq.logconsumer.store.LogQueries;

import io.smallrye.mutiny.Uni;

/**
 * The query API's parameters, the cursor included, for any values: a filter for the store, or a
 * {@link BadParameterException} (a 400) naming the parameter. An input is the eight parameters of
 * {@code GET /logs} in order (service, level, from, to, q, traceId, limit, cursor), each a string.
 */
class LogQueryParametersFuzzTest {

    /** Stands in for the database: the parsing is under test, the filter it builds is only recorded. */
    private static final class RecordingQueries extends LogQueries {
        LogFilter filter;

        RecordingQueries() {
            super(null);
        }

        @Override
        public Uni<Page> search(LogFilter filter) {
            this.filter = filter;
            return Uni.createFrom().item(new Page(List.of(), null));
        }
    }

    private static final LogConsumerConfig SEVEN_DAYS = (LogConsumerConfig) Proxy.newProxyInstance(
            LogConsumerConfig.class.getClassLoader(), new Class<?>[] {LogConsumerConfig.class}, (proxy, method, args) -> {
                if (method.getName().equals("retention")) {
                    return Duration.ofDays(7);
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @FuzzTest
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void buildsAFilterOrRejectsAParameter(FuzzedDataProvider data) {
        RecordingQueries queries = new RecordingQueries();
        LogResource resource = new LogResource(queries, SEVEN_DAYS);
        String[] values = new String[8];
        for (int i = 0; i < values.length; i++) {
            String value = data.consumeString(300);
            values[i] = value.isEmpty() ? null : value;
        }
        try {
            resource.search(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        } catch (BadParameterException e) {
            assertThat(e.parameter()).isIn("service", "level", "from", "to", "q", "traceId", "limit", "cursor");
            return;
        }
        LogFilter filter = queries.filter;
        assertThat(filter.from()).isBefore(filter.to());
        assertThat(filter.limit()).isBetween(1, LogResource.MAX_LIMIT);
    }
}
