package com.vivesphere.mq.faults.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import com.vivesphere.mq.testing.PackagedApp;

/** Polls a worker's liveness and readiness every 100 ms and keeps every answer with its time. */
public final class HealthWatch implements AutoCloseable {

    /** One poll: when ({@link System#nanoTime()}), and the HTTP status of each probe (-1: no answer). */
    public record Sample(long nanos, int live, int ready) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "health-watch");
        thread.setDaemon(true);
        return thread;
    });

    public HealthWatch(PackagedApp worker) {
        scheduler.scheduleWithFixedDelay(() -> samples.add(new Sample(System.nanoTime(), worker.status("/q/health/live"),
                worker.status("/q/health/ready"))), 0, 100, TimeUnit.MILLISECONDS);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples taken between two {@link System#nanoTime()} instants. */
    public List<Sample> between(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos).toList();
    }

    /** Seconds from {@code fromNanos} to the first sample after it that was ready; -1 if none was. */
    public double secondsUntilReady(long fromNanos) {
        return samples.stream().filter(s -> s.nanos() >= fromNanos && s.ready() == 200).findFirst()
                .map(s -> (s.nanos() - fromNanos) / 1e9).orElse(-1.0);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
