package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.testing.TcpProxy;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;

/**
 * Scenario 5: PostgreSQL goes away in the middle of an ingest (a proxy in front of it is cut). Nothing is
 * acked that is not stored, at any moment; the worker is killed during the outage to prove it; everything
 * is stored once the database is back.
 */
class DatabaseOutageFaultIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void nothingIsAckedThatIsNotStoredAndEverythingIsStoredAfter() throws Exception {
        int total = 30_000;
        String service = "db-outage-" + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Figures.output().resolve("database-outage");
        try (Sandbox sandbox = Sandbox.onLocalBroker(); Connection producer = sandbox.connect("fault-producer");
                TcpProxy database = new TcpProxy(TestDatabase.HOST, TestDatabase.PORT).start()) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + database.port() + "/" + sandbox.database());
            PackagedApp first = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, env, logs.resolve("log-consumer-1.log"));
            PackagedApp second = null;
            try {
                first.awaitReady(START);
                CompletableFuture<Void> publishing = Traffic.publishInBackground(producer, total,
                        i -> Traffic.logEvent(UUID.randomUUID(), service));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> sandbox.rows("log_events", "true") >= total / 5);

                database.stop();
                long cut = System.nanoTime();
                // At every moment of the outage: acked <= stored (an ack is sent only after the commit).
                AtomicLong samples = new AtomicLong();
                AtomicLong ackedAhead = new AtomicLong();
                DoubleSupplier acked = () -> {
                    double ackedNow = first.metricSum("vivesphere_messages_acked_total");
                    samples.incrementAndGet();
                    if (ackedNow > sandbox.rows("log_events", "true")) {
                        ackedAhead.incrementAndGet();
                    }
                    return ackedNow;
                };
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> acked.getAsDouble() >= 0
                        && first.status("/q/health/ready") == 503 && first.body("/q/health/ready").contains("postgresql"));
                double ackedAtCut = acked.getAsDouble();
                // Acks stop: what the worker holds waits for the database, the prefetch stops the deliveries.
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> acked.getAsDouble() == ackedAtCut);
                long storedAtCut = sandbox.rows("log_events", "true");
                assertThat(ackedAhead.get()).as("samples with more acked than stored").isZero();
                assertThat((long) ackedAtCut).as("acked <= stored").isLessThanOrEqualTo(storedAtCut);
                assertThat(first.status("/q/health/live")).as("liveness during the outage").isEqualTo(200);

                // Killed while it holds unstored events: they must come again, since none was acked.
                first.kill();
                second = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, env, logs.resolve("log-consumer-2.log"));
                PackagedApp restarted = second;
                await().atMost(START).pollInterval(Duration.ofMillis(100))
                        .until(() -> restarted.status("/q/health/live") == 200);
                assertThat(restarted.status("/q/health/ready")).as("readiness without its database").isEqualTo(503);
                double outage = (System.nanoTime() - cut) / 1e9;

                database.start();
                long back = System.nanoTime();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> restarted.status("/q/health/ready") == 200);
                double readyAfter = (System.nanoTime() - back) / 1e9;
                publishing.get(2, TimeUnit.MINUTES);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("log_events", "true") >= total);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.LOG_QUEUE) == 0 && restarted.unsettled() == 0);
                double drained = (System.nanoTime() - back) / 1e9;

                long rows = sandbox.rows("log_events", "true");
                long distinct = sandbox.count("SELECT count(DISTINCT id) FROM log_events");
                assertThat(rows).isEqualTo(total);
                assertThat(distinct).isEqualTo(total);
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();

                Figures.record("5 database outage", "events / stored / lost / duplicates",
                        total + " / " + rows + " / " + (total - distinct) + " / " + (rows - distinct));
                Figures.record("5 database outage", "samples with acked > stored during the outage",
                        ackedAhead.get() + " of " + samples.get());
                Figures.record("5 database outage", "stored / acked when acks stopped", storedAtCut + " / " + (long) ackedAtCut);
                Figures.record("5 database outage", "outage (worker killed and restarted in it)", Figures.seconds(outage));
                Figures.record("5 database outage", "database back to ready / to all stored",
                        Figures.seconds(readyAfter) + " / " + Figures.seconds(drained));
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
