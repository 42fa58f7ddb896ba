package com.vivesphere.mq.logconsumer.store;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.vivesphere.mq.common.failure.FailureReason;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.logconsumer.config.LogConsumerConfig;
import com.vivesphere.mq.runtime.rabbitmq.Backoff;
import com.vivesphere.mq.runtime.store.SchemaMigration;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Stores log events in batches: one {@code INSERT ... SELECT FROM unnest(...)} statement per batch (one
 * round trip, atomic), {@code ON CONFLICT DO NOTHING} so a redelivered event is stored once. Each event's
 * stage completes only after its batch committed, so the message is acked after the event is durable.
 *
 * <ul>
 * <li>ERROR and FATAL events are taken into batches before lower levels.</li>
 * <li>PostgreSQL's text cannot hold the NUL character, which valid JSON and the contract allow: it is stored
 * as U+FFFD, with {@code nul_replaced} set on the row ({@link NulReplacement}).</li>
 * <li>Until the schema is migrated, events are held and writing starts the moment it is.</li>
 * <li>A batch refused because of its data (SQLSTATE classes 22 and 23) is written again event by event:
 * the events PostgreSQL refuses fail with {@link FailureReason#STORAGE_REJECTED} (and are dead-lettered),
 * the others are stored.</li>
 * <li>Any other failure means the database is unavailable: the batch's events go back to the front of their
 * queues and writing pauses, to be tried again with capped backoff, forever; so acks stop, the prefetch fills
 * and consumption stops until the database is back, and the first batches then take ERROR and FATAL events
 * first, whatever was held before them. Nothing is dead-lettered for it.</li>
 * </ul>
 */
@ApplicationScoped
public class LogBatchWriter implements LogEventSink {

    private static final Logger LOG = Logger.getLogger(LogBatchWriter.class);
    static final String INSERT = """
            INSERT INTO log_events (id, event_time, service, level, message, logger, trace_id, span_id, attributes,
                                    nul_replaced)
            SELECT id, event_time, service, level, message, logger, trace_id, span_id, attributes::jsonb, nul_replaced
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::int2[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::bool[])
                 AS e(id, event_time, service, level, message, logger, trace_id, span_id, attributes, nul_replaced)
            ON CONFLICT DO NOTHING""";

    /**
     * {@code event}: as stored (NUL characters replaced, {@code nulReplaced} then true); {@code attributes}: its
     * attributes as JSON, written by the consumer thread that delivered it.
     */
    private record Pending(LogEvent event, boolean nulReplaced, String attributes, CompletableFuture<Void> stored,
            long enqueuedNanos) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final SchemaMigration schema;
    private final LogStoreMetrics metrics;
    /** Streaming writes: a flat map of strings needs none of databind's per-call set-up, most of the cost in JFR. */
    private final JsonFactory json = new JsonFactory();
    private final int batchSize;
    private final long maxWaitMillis;
    private final int maxConcurrent;

    private final Deque<Pending> urgent = new ArrayDeque<>();
    private final Deque<Pending> normal = new ArrayDeque<>();
    private int writing;
    private boolean flushTimerSet;
    /** Writing is paused until a retry timer fires (the database failed the last write). */
    private boolean paused;
    /** The pause after the next failure; back to the first step after a write goes through. */
    private Duration backoff = Backoff.FIRST;
    private volatile String unavailable;

    public LogBatchWriter(Pool pool, Vertx vertx, SchemaMigration schema, LogStoreMetrics metrics, LogConsumerConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.schema = schema;
        this.metrics = metrics;
        this.batchSize = config.batch().size();
        this.maxWaitMillis = Math.max(1, config.batch().maxWait().toMillis());
        this.maxConcurrent = config.batch().maxConcurrent();
        metrics.lag(this::oldestPendingNanos);
    }

    @Override
    public CompletionStage<Void> store(LogEvent received) {
        LogEvent event = NulReplacement.apply(received);
        boolean nulReplaced = event != received;
        if (nulReplaced) {
            metrics.nulReplaced();
        }
        Pending pending = new Pending(event, nulReplaced, toJson(event.attributes()), new CompletableFuture<>(),
                System.nanoTime());
        synchronized (this) {
            (event.level().isUrgent() ? urgent : normal).add(pending);
        }
        drain(false);
        return pending.stored();
    }

    /** Why the database is unavailable, or null when the last write went through. */
    public String unavailableReason() {
        return unavailable;
    }

    private void drain(boolean timerFired) {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (timerFired) {
                    flushTimerSet = false;
                }
                int waiting = urgent.size() + normal.size();
                if (waiting == 0 || writing >= maxConcurrent || paused) {
                    return;
                }
                if (waiting < batchSize && !timerFired) {
                    if (!flushTimerSet) {
                        flushTimerSet = true;
                        vertx.setTimer(maxWaitMillis, id -> drain(true));
                    }
                    return;
                }
                batch = take();
                writing++;
                timerFired = false;
            }
            write(batch);
        }
    }

    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>(Math.min(batchSize, urgent.size() + normal.size()));
        while (batch.size() < batchSize && !urgent.isEmpty()) {
            batch.add(urgent.poll());
        }
        while (batch.size() < batchSize && !normal.isEmpty()) {
            batch.add(normal.poll());
        }
        return batch;
    }

    private synchronized long oldestPendingNanos() {
        long oldest = 0;
        for (Deque<Pending> queue : List.of(urgent, normal)) {
            Pending head = queue.peek();
            if (head != null && (oldest == 0 || head.enqueuedNanos() < oldest)) {
                oldest = head.enqueuedNanos();
            }
        }
        return oldest;
    }

    private void write(List<Pending> batch) {
        if (!schema.isMigrated()) {
            awaitSchema(batch);
            return;
        }
        long start = System.nanoTime();
        insert(batch).subscribe().with(ignored -> {
            unavailable = null;
            synchronized (this) {
                backoff = Backoff.FIRST;
            }
            metrics.batch(batch.size(), start);
            batch.forEach(this::stored);
            finished();
        }, failure -> {
            if (isDataError(failure)) {
                isolate(batch);
            } else {
                retryLater(batch, failure.getMessage());
            }
        });
    }

    /** Writes the events of a refused batch one by one, so only the ones PostgreSQL refuses fail. */
    private void isolate(List<Pending> batch) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<Pending> notWritten = new ArrayList<>();
        for (Pending pending : batch) {
            chain = chain.chain(() -> {
                if (!notWritten.isEmpty()) {
                    notWritten.add(pending);
                    return Uni.createFrom().voidItem();
                }
                return insert(List.of(pending)).onItemOrFailure().transform((ok, failure) -> {
                    if (failure == null) {
                        stored(pending);
                    } else if (isDataError(failure)) {
                        LOG.warnf("PostgreSQL refused log event %s: %s", pending.event().id(), failure.getMessage());
                        pending.stored().completeExceptionally(
                                new InvalidMessageException(FailureReason.STORAGE_REJECTED, failure.getMessage()));
                    } else {
                        notWritten.add(pending);
                    }
                    return null;
                });
            });
        }
        chain.subscribe().with(ignored -> {
            if (notWritten.isEmpty()) {
                finished();
            } else {
                retryLater(notWritten, "database became unavailable while isolating a refused event");
            }
        });
    }

    /**
     * Until the schema is migrated (at start, beside the first deliveries) writing pauses and resumes the
     * moment the migration is done, not a backoff step later.
     */
    private void awaitSchema(List<Pending> batch) {
        if (!holdBack(batch)) {
            return;
        }
        metrics.paused(LogStoreMetrics.PAUSE_SCHEMA);
        LOG.infof("Holding log events until the database schema is migrated (%s)", schema.lastError());
        schema.whenMigrated(this::resume);
    }

    /**
     * Pauses writing for the next backoff step (one pause for all batches that failed meanwhile), the batch's
     * events held.
     */
    private void retryLater(List<Pending> batch, String reason) {
        if (unavailable == null) {
            LOG.warnf("Cannot store log events (%s); holding them and retrying with backoff", reason);
        }
        unavailable = reason;
        if (!holdBack(batch)) {
            return;
        }
        metrics.paused(LogStoreMetrics.PAUSE_DATABASE);
        Duration delay;
        synchronized (this) {
            delay = backoff;
            backoff = Backoff.next(backoff);
        }
        vertx.setTimer(delay.toMillis(), id -> resume());
    }

    /**
     * Puts the events of a batch not written back to the front of their queues, in their order, and pauses
     * writing; true when writing was not paused already (the caller decides when it resumes).
     */
    private synchronized boolean holdBack(List<Pending> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            Pending pending = batch.get(i);
            (pending.event().level().isUrgent() ? urgent : normal).addFirst(pending);
        }
        writing--;
        if (paused) {
            return false;
        }
        paused = true;
        return true;
    }

    private void resume() {
        synchronized (this) {
            paused = false;
        }
        drain(true); // partial batches too: whatever waits is written now
    }

    private void stored(Pending pending) {
        metrics.stored(pending.event().service(), pending.event().level());
        pending.stored().complete(null);
    }

    private void finished() {
        synchronized (this) {
            writing--;
        }
        drain(false);
    }

    private Uni<?> insert(List<Pending> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] services = new String[n];
        Short[] levels = new Short[n];
        String[] messages = new String[n];
        String[] loggers = new String[n];
        String[] traceIds = new String[n];
        String[] spanIds = new String[n];
        String[] attributes = new String[n];
        Boolean[] nulReplaced = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Pending pending = batch.get(i);
            LogEvent e = pending.event();
            ids[i] = e.id();
            times[i] = e.timestamp();
            services[i] = e.service();
            levels[i] = (short) e.level().ordinal();
            messages[i] = e.message();
            loggers[i] = e.logger();
            traceIds[i] = e.traceId();
            spanIds[i] = e.spanId();
            attributes[i] = pending.attributes();
            nulReplaced[i] = pending.nulReplaced();
        }
        return pool.preparedQuery(INSERT).execute(Tuple.tuple(List.of(ids, times, services, levels, messages, loggers,
                traceIds, spanIds, attributes, nulReplaced)));
    }

    private String toJson(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return "{}";
        }
        StringWriter out = new StringWriter(32 * attributes.size());
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                generator.writeStringField(attribute.getKey(), attribute.getValue());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** SQLSTATE classes 22 (data exception) and 23 (integrity): the rows are at fault, not the database. */
    static boolean isDataError(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }
}
