package com.vivesphere.mq.faults.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import com.vivesphere.mq.testing.PackagedApp;

/** Samples a worker's resident memory ({@code VmRSS}) every 100 ms; {@link #maxKiB()} is the largest sample. */
public final class MemorySampler implements AutoCloseable {

    private final AtomicLong max = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "rss-sampler");
        thread.setDaemon(true);
        return thread;
    });

    public MemorySampler(PackagedApp worker) {
        scheduler.scheduleAtFixedRate(() -> max.accumulateAndGet(worker.rssKiB(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
    }

    public long maxKiB() {
        return max.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
