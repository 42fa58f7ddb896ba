package com.vivesphere.mq.logconsumer.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Storage metrics: {@code vivesphere_log_events_stored_total{service,level}} (services beyond
 * {@code log-consumer.max-service-labels} count as "other", so a producer cannot explode the label set),
 * {@code vivesphere_log_batch_size}, {@code vivesphere_log_batch_commit_seconds},
 * {@code vivesphere_log_unstored_lag_seconds} (age of the oldest event waiting to be stored),
 * {@code vivesphere_log_store_pauses_total{reason}} (writing paused: schema not migrated yet, database
 * unavailable) and {@code vivesphere_log_events_nul_replaced_total}.
 */
@ApplicationScoped
public class LogStoreMetrics {

    static final String OTHER_SERVICE = "other";
    static final String PAUSE_SCHEMA = "schema-not-migrated";
    static final String PAUSE_DATABASE = "database-unavailable";

    private final MeterRegistry registry;
    private final int maxServices;
    private final Map<String, Counter[]> storedByService = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer commit;
    private final Counter nulReplaced;
    private final Map<String, Counter> pauses;

    public LogStoreMetrics(MeterRegistry registry, LogConsumerConfig config) {
        this.registry = registry;
        this.maxServices = config.maxServiceLabels();
        this.batchSize = DistributionSummary.builder("vivesphere.log.batch.size").description("Events per database write")
                .publishPercentileHistogram().register(registry);
        this.commit = Timer.builder("vivesphere.log.batch.commit").description("Time to write and commit one batch")
                .publishPercentileHistogram().register(registry);
        this.nulReplaced = Counter.builder("vivesphere.log.events.nul.replaced")
                .description("Log events stored with NUL characters replaced by U+FFFD").register(registry);
        this.pauses = Map.of(PAUSE_SCHEMA, pauseCounter(PAUSE_SCHEMA), PAUSE_DATABASE, pauseCounter(PAUSE_DATABASE));
    }

    private Counter pauseCounter(String reason) {
        return Counter.builder("vivesphere.log.store.pauses").description("Times writing paused, holding the events")
                .tag("reason", reason).register(registry);
    }

    public void stored(String service, LogLevel level) {
        countersOf(service)[level.ordinal()].increment();
    }

    public void nulReplaced() {
        nulReplaced.increment();
    }

    /** Writing paused for {@code reason} ({@link #PAUSE_SCHEMA} or {@link #PAUSE_DATABASE}). */
    public void paused(String reason) {
        pauses.get(reason).increment();
    }

    public void batch(int size, long startNanos) {
        batchSize.record(size);
        commit.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the lag gauge, read from {@code oldestPendingNanos} (0 when nothing waits). */
    public void lag(Supplier<Long> oldestPendingNanos) {
        Gauge.builder("vivesphere.log.unstored.lag", () -> {
            long oldest = oldestPendingNanos.get();
            return oldest == 0 ? 0 : (System.nanoTime() - oldest) / 1e9;
        }).description("Age of the oldest consumed event not stored yet").baseUnit("seconds").register(registry);
    }

    private Counter[] countersOf(String service) {
        Counter[] counters = storedByService.get(service);
        if (counters != null) {
            return counters;
        }
        String label = storedByService.size() < maxServices ? service : OTHER_SERVICE;
        return storedByService.computeIfAbsent(label, this::register);
    }

    private Counter[] register(String service) {
        Counter[] counters = new Counter[LogLevel.values().length];
        for (LogLevel level : LogLevel.values()) {
            counters[level.ordinal()] = Counter.builder("vivesphere.log.events.stored").description("Log events stored")
                    .tag("service", service).tag("level", level.name()).register(registry);
        }
        return counters;
    }
}
