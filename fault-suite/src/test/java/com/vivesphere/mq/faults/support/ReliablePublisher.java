package com.vivesphere.mq.faults.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;

/**
 * A producer as docs/publishing.md asks them to be, on the project's publishing API ({@link ConfirmingPublisher}):
 * persistent messages, publisher confirms, and whatever is not confirmed is published again (after
 * reconnecting when the broker is away). Publishes message {@code i}
 * of a sequence at a steady rate; {@link #confirmed()} is what the broker took responsibility for.
 */
public final class ReliablePublisher implements AutoCloseable {

    private static final int CONFIRM_EVERY = 50;

    private final Sandbox sandbox;
    private final IntFunction<Traffic.Outgoing> messages;
    private final long intervalNanos;
    private final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Map<String, Long> errors = new ConcurrentHashMap<>();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final Thread thread;
    private volatile boolean generating = true;
    private volatile boolean running = true;
    private volatile int next;
    private Connection connection;
    private ConfirmingPublisher publisher;

    public ReliablePublisher(Sandbox sandbox, int perSecond, IntFunction<Traffic.Outgoing> messages) {
        this.sandbox = sandbox;
        this.messages = messages;
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.thread = new Thread(this::run, "reliable-publisher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Indexes of the messages the broker confirmed. */
    public Set<Integer> confirmed() {
        return Set.copyOf(confirmed);
    }

    /** Messages generated so far (confirmed or not yet). */
    public int generated() {
        return next;
    }

    public long republished() {
        return republished.get();
    }

    /** Connections opened after the first one (each after the broker went away). */
    public long reconnects() {
        return Math.max(0, reconnects.get() - 1);
    }

    /** What made it reconnect, by kind (the exception's, or its cause's, class), and how often. */
    public Map<String, Long> errors() {
        return new TreeMap<>(errors);
    }

    /** The longest time messages waited for their confirms (from one confirmed batch to the next). */
    public Duration longestWait() {
        return Duration.ofNanos(longestWaitNanos.get());
    }

    /** Stops generating new messages and waits until every generated one is confirmed (or {@code timeout}). */
    public void finish(Duration timeout) {
        generating = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (confirmed.size() < next && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000_000L);
        }
        close();
        if (confirmed.size() < next) {
            throw new IllegalStateException((next - confirmed.size()) + " messages still unconfirmed after " + timeout);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }

    /** A message as first made, so that publishing it again sends the very same bytes; and its confirm. */
    private record Pending(int index, Traffic.Outgoing message, CompletableFuture<Void> confirmed) {
    }

    private void run() {
        List<Pending> pending = new ArrayList<>();
        long nextAt = System.nanoTime();
        long lastConfirmAt = System.nanoTime();
        while (running) {
            try {
                if (publisher == null || !connection.isOpen()) {
                    open();
                    // Whatever was not confirmed on the lost channel may be lost: publish it again.
                    republished.addAndGet(pending.size());
                    pending.replaceAll(message -> new Pending(message.index(), message.message(), publish(message.message())));
                }
                if (generating) {
                    if (System.nanoTime() < nextAt) {
                        LockSupport.parkNanos(nextAt - System.nanoTime());
                        continue;
                    }
                    nextAt += intervalNanos;
                    Traffic.Outgoing outgoing = messages.apply(next);
                    Pending message = new Pending(next, outgoing, publish(outgoing));
                    pending.add(message);
                    next = message.index() + 1;
                }
                if (!pending.isEmpty() && (pending.size() >= CONFIRM_EVERY || !generating)) {
                    CompletableFuture.allOf(pending.stream().map(Pending::confirmed).toArray(CompletableFuture[]::new))
                            .get(5, TimeUnit.SECONDS);
                    pending.forEach(message -> confirmed.add(message.index()));
                    pending.clear();
                    longestWaitNanos.accumulateAndGet(System.nanoTime() - lastConfirmAt, Math::max);
                    lastConfirmAt = System.nanoTime();
                } else if (!generating) {
                    LockSupport.parkNanos(20_000_000L);
                }
            } catch (IOException | TimeoutException | InterruptedException | ExecutionException | RuntimeException e) {
                // broker away (connection refused, channel closed by a shutdown) or a nack: reconnect and publish again
                Throwable kind = e.getCause() != null && e instanceof IllegalStateException ? e.getCause() : e;
                errors.merge(kind.getClass().getSimpleName(), 1L, Long::sum);
                closeQuietly();
                LockSupport.parkNanos(250_000_000L);
                nextAt = System.nanoTime();
            }
        }
    }

    private void open() throws IOException {
        closeQuietly();
        connection = sandbox.connect("fault-suite-reliable-publisher");
        publisher = new ConfirmingPublisher();
        publisher.open(connection);
        reconnects.incrementAndGet();
    }

    private CompletableFuture<Void> publish(Traffic.Outgoing message) {
        return publisher.publish(message.exchange(), message.routingKey(), true, message.properties(), message.body())
                .toCompletableFuture();
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.abort(2_000);
            }
        } catch (RuntimeException e) {
            // gone already
        }
        connection = null;
        publisher = null;
    }
}
