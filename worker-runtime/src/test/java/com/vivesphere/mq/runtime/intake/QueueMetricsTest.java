package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** End-to-end latency beside processing time: from the message's own time to its settlement, per queue. */
class QueueMetricsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final QueueMetrics metrics = new QueueMetrics(registry, "log_queue", Clock.fixed(NOW, ZoneOffset.UTC));

    private Timer endToEnd() {
        return registry.get("vivesphere.message.end.to.end").tag("queue", "log_queue").timer();
    }

    @Test
    void ackAndDeadLetterRecordTheTimeSinceTheMessagesOwnTimeSeparateFromProcessing() {
        metrics.acked(System.nanoTime(), NOW.minusMillis(1500));
        metrics.deadLettered("invalid_json", System.nanoTime(), NOW.minusSeconds(120));

        assertThat(endToEnd().count()).isEqualTo(2);
        assertThat(endToEnd().max(TimeUnit.SECONDS)).isEqualTo(120);
        assertThat(endToEnd().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(121_500);
        Timer processing = registry.get("vivesphere.message.processing").tag("queue", "log_queue").timer();
        assertThat(processing.count()).isEqualTo(2);
        assertThat(processing.max(TimeUnit.SECONDS)).isLessThan(1);
    }

    @Test
    void aTimeInTheFutureCountsAsNoWaitAndNeverAsANegativeOne() {
        metrics.acked(System.nanoTime(), NOW.plusSeconds(30));
        metrics.acked(System.nanoTime(), NOW.minusMillis(3));

        assertThat(endToEnd().count()).isEqualTo(2);
        assertThat(endToEnd().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3);
        CountAtBucket[] buckets = endToEnd().takeSnapshot().histogramCounts();
        assertThat(buckets[0].bucket(TimeUnit.MILLISECONDS)).isEqualTo(1);
        assertThat(buckets[0].count()).as("the future one in the lowest bucket").isEqualTo(1);
        assertThat(registry.scrape()).doesNotContain("NaN").containsPattern(
                "vivesphere_message_end_to_end_seconds_bucket\\{queue=\"log_queue\",le=\"0.001\",?} 1");
    }

    @Test
    void aTimeCenturiesBackLandsAboveTheBucketsInsteadOfOverflowing() {
        metrics.acked(System.nanoTime(), Instant.parse("1000-01-01T00:00:00Z"));

        assertThat(endToEnd().count()).isEqualTo(1);
        CountAtBucket[] buckets = endToEnd().takeSnapshot().histogramCounts();
        assertThat(buckets[buckets.length - 1].count()).as("not within 1 h").isZero();
    }

    @Test
    void noTimeRecordsNoEndToEndLatency() {
        metrics.acked(System.nanoTime(), null);

        assertThat(endToEnd().count()).isZero();
    }

    @Test
    void bucketsResolveOneMillisecondToOneHour() {
        CountAtBucket[] buckets = endToEnd().takeSnapshot().histogramCounts();
        assertThat(buckets).hasSize(QueueMetrics.END_TO_END_BUCKETS.length);
        assertThat(buckets[0].bucket(TimeUnit.MILLISECONDS)).isEqualTo(1);
        assertThat(buckets[buckets.length - 1].bucket(TimeUnit.SECONDS)).isEqualTo(3600);
        assertThat(Arrays.stream(QueueMetrics.END_TO_END_BUCKETS).map(Duration::toMillis).toList())
                .as("strictly increasing").isSorted().doesNotHaveDuplicates();
    }
}
