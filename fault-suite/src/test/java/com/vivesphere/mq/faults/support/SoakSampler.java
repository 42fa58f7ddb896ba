package com.vivesphere.mq.faults.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * What a soak watches, every {@code every}: each worker's resident memory and heap in use, the messages waiting in
 * the work queues and the delay levels, and every {@code gcEvery}th time each worker's live heap: a full GC
 * ({@code jcmd GC.run}) and then Micrometer's {@code jvm_gc_live_data_size_bytes}, the old generation after it.
 * The GC is forced, not waited for: the Parallel GC of a steady worker may run no full GC for an hour, and a
 * young collection leaves garbage in the old generation, so only a full one shows what stays.
 */
public final class SoakSampler implements AutoCloseable {

    /** One sample: minutes since the start, per worker name RSS (KiB), heap used and live heap (bytes, -1: not taken). */
    public record Sample(double minutes, Map<String, Long> rssKiB, Map<String, Long> heapBytes, Map<String, Long> liveHeapBytes,
            long queued) {
    }

    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    private final Sandbox sandbox;
    private final List<PackagedApp> workers;
    private final int gcEvery;
    private final long start = System.nanoTime();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "soak-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private int taken;

    public SoakSampler(Sandbox sandbox, Duration every, int gcEvery, List<PackagedApp> workers) {
        this.sandbox = sandbox;
        this.workers = List.copyOf(workers);
        this.gcEvery = gcEvery;
        scheduler.scheduleAtFixedRate(this::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            boolean gc = taken++ % gcEvery == 0;
            Map<String, Long> rss = new LinkedHashMap<>();
            Map<String, Long> heap = new LinkedHashMap<>();
            Map<String, Long> live = new LinkedHashMap<>();
            for (PackagedApp worker : workers) {
                rss.put(worker.name(), worker.rssKiB());
                heap.put(worker.name(), (long) worker.metricSum("jvm_memory_used_bytes", "area=\"heap\""));
                live.put(worker.name(), gc ? liveHeap(worker) : -1L);
            }
            long queued = sandbox.ready(Topology.LOG_QUEUE, Topology.LOG_PRIORITY_QUEUE, Topology.BOT_ACTION_QUEUE)
                    + sandbox.delayed();
            samples.add(new Sample((System.nanoTime() - start) / 60e9, rss, heap, live, queued));
        } catch (RuntimeException e) {
            errors.add(e.toString());
        }
    }

    private static long liveHeap(PackagedApp worker) {
        try {
            Process jcmd = new ProcessBuilder(JCMD.toString(), String.valueOf(worker.pid()), "GC.run").redirectErrorStream(true)
                    .start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.run of " + worker.name() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return (long) worker.metric("jvm_gc_live_data_size_bytes");
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples that failed (a worker not answering its metrics, jcmd failing). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Samples taken from {@code fromMinutes} on. */
    public List<Sample> after(double fromMinutes) {
        return samples.stream().filter(s -> s.minutes() >= fromMinutes).toList();
    }

    /** Least-squares slope of {@code value} over {@code samples}, per hour; samples where it is negative (not taken) left out. */
    public static double slopePerHour(List<Sample> samples, ToDoubleFunction<Sample> value) {
        List<Sample> taken = samples.stream().filter(s -> value.applyAsDouble(s) >= 0).toList();
        double n = taken.size();
        double meanX = taken.stream().mapToDouble(s -> s.minutes() / 60).sum() / n;
        double meanY = taken.stream().mapToDouble(value).sum() / n;
        double covariance = 0;
        double variance = 0;
        for (Sample s : taken) {
            double dx = s.minutes() / 60 - meanX;
            covariance += dx * (value.applyAsDouble(s) - meanY);
            variance += dx * dx;
        }
        return covariance / variance;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
