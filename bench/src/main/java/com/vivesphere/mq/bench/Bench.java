package com.vivesphere.mq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.common.testing.BrokerAdmin;
import com.vivesphere.mq.common.testing.TestDatabase;
import com.vivesphere.mq.common.topology.Topology;

/**
 * Measures log-consumer on the local broker and PostgreSQL, against RabbitMQ PerfTest's consumer on the
 * same broker in the same run, in a vhost and a database of its own (both removed at the end):
 * <ol>
 * <li>start-up: JVM start to readiness UP;</li>
 * <li>backlog drain, each round: 2N events pre-published, then PerfTest's consumer (manual ack of each,
 * same prefetch), log-consumer without storage, log-consumer storing into PostgreSQL, each in a fresh JVM;
 * the first N are timed from the first delivery (cold), the last N until the last ack (warm);</li>
 * <li>steady state: events published at a fixed rate after a warm-up, latency from publish to stored (p50, p99);</li>
 * <li>optionally ({@code bench.million}), the same three drains on a backlog of one million events each
 * (500,000 cold, 500,000 warm), with the worker's resident memory sampled.</li>
 * </ol>
 * Settings are system properties: {@code bench.messages} (100000), {@code bench.rounds} (3),
 * {@code bench.prefetch} (1000), {@code bench.rate} (1000/s), {@code bench.seconds} (30),
 * {@code bench.million} (false), {@code bench.jvm} (JVM options of the worker; by default the production
 * image's), {@code bench.env} (extra worker environment, "NAME=value,...").
 */
public final class Bench {

    private static final int PORT = 8099;
    private static final int WARM_UP_SECONDS = 10;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final String ACKED = "vivesphere_messages_acked_total{queue=\"log_queue\"}";

    private final int messages = Integer.getInteger("bench.messages", 100_000);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private final int prefetch = Integer.getInteger("bench.prefetch", 1_000);
    private final int rate = Integer.getInteger("bench.rate", 1_000);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final boolean million = Boolean.getBoolean("bench.million");
    private final List<String> jvm = WorkerProcess.jvmOptions();
    /** Extra worker environment, "NAME=value,NAME=value", to compare settings (e.g. LOG_CONSUMER_BATCH_SIZE=500). */
    private final String workerEnv = System.getProperty("bench.env", "");

    private final Path root = projectRoot();
    private final Path jar = root.resolve("log-consumer/target/quarkus-app/quarkus-run.jar");
    private final Path logs = root.resolve("bench/target");
    private final BrokerAdmin admin = new BrokerAdmin();
    private String vhost;
    /** Polls queue depths during drains. */
    private Channel polling;
    private String database;

    public static void main(String[] args) throws Exception {
        new Bench().run();
    }

    private void run() throws Exception {
        Files.createDirectories(logs);
        vhost = admin.createVhost();
        database = TestDatabase.create();
        try (Connection connection = admin.connect(vhost); Channel polling = connection.createChannel()) {
            this.polling = polling;
            admin.importDefinitions(vhost, Files.readString(root.resolve("infrastructure/message_queue/definitions.json")));
            System.out.printf("vivesphere-mq bench: %d events per backlog, %d rounds, prefetch %d, worker JVM %s, env [%s], %d cores%n",
                    messages, rounds, prefetch, jvm, workerEnv, Runtime.getRuntime().availableProcessors());

            List<Double> startups = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                try (WorkerProcess worker = worker(true)) {
                    startups.add(worker.awaitReady(Duration.ofSeconds(60)));
                }
            }
            System.out.printf("start-up to ready: median %.2f s %s%n", median(startups), startups);

            // Each backlog holds 2N events: the first N are drained by a fresh JVM (cold, compiling its hot
            // paths), the last N by the same JVM once warm, as a long-running worker meets a backlog.
            Rates perfTest = new Rates();
            Rates bare = new Rates();
            Rates stored = new Rates();
            for (int round = 1; round <= rounds; round++) {
                Drains drains = drainEach(connection, messages);
                truncate();
                perfTest.add(drains.perfTest());
                bare.add(drains.bare());
                stored.add(drains.stored());
                System.out.printf("round %d: PerfTest %s; log-consumer without storage %s; storing %s%n", round,
                        drains.perfTest().describe(null), drains.bare().describe(drains.perfTest()),
                        drains.stored().describe(drains.perfTest()));
            }
            if (rounds > 0) {
                System.out.printf("drain medians, cold (first %d, fresh JVM): PerfTest %.0f msg/s; log-consumer without "
                        + "storage %.0f msg/s = %.2fx; storing into PostgreSQL %.0f msg/s = %.2fx%n", messages,
                        median(perfTest.cold), median(bare.cold), median(bare.cold) / median(perfTest.cold),
                        median(stored.cold), median(stored.cold) / median(perfTest.cold));
                System.out.printf("drain medians, warm (next %d, same JVM): PerfTest %.0f msg/s; log-consumer without "
                        + "storage %.0f msg/s = %.2fx; storing into PostgreSQL %.0f msg/s = %.2fx%n", messages,
                        median(perfTest.warm), median(bare.warm), median(bare.warm) / median(perfTest.warm),
                        median(stored.warm), median(stored.warm) / median(perfTest.warm));
                System.out.printf("ratios of medians; per-round ratios: cold without storage %s, storing %s; warm "
                        + "without storage %s, storing %s%n", bare.coldRatios(perfTest), stored.coldRatios(perfTest),
                        bare.warmRatios(perfTest), stored.warmRatios(perfTest));
            }

            double[] latency = steadyStateLatency(connection);
            System.out.printf("steady state at %d msg/s for %d s: publish-to-stored p50 %.1f ms, p99 %.1f ms%n", rate,
                    seconds, latency[0], latency[1]);

            if (million) {
                // Long enough for the worker's JIT to be warm for most of the drain, unlike the 100,000 rounds.
                int big = 500_000;
                Drains drains = drainEach(connection, big);
                Drain reference = drains.perfTest();
                System.out.printf("1,000,000-event drains (500,000 cold, then 500,000 warm): PerfTest %s; log-consumer "
                        + "without storage %s, RSS max %d MiB; storing %s, RSS max %d MiB, samples every 5 s (MiB) %s%n",
                        reference.describe(null), drains.bare().describe(reference), drains.bare().maxRss() >> 20,
                        drains.stored().describe(reference), drains.stored().maxRss() >> 20, drains.stored().rssSamplesMiB());
            }
        } finally {
            admin.deleteVhost(vhost);
            TestDatabase.drop(database);
        }
    }

    private WorkerProcess worker(boolean storage) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "RABBITMQ_HOST", BrokerAdmin.HOST, "RABBITMQ_PORT", String.valueOf(BrokerAdmin.PORT),
                "RABBITMQ_USERNAME", BrokerAdmin.USERNAME, "RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD,
                "RABBITMQ_VHOST", vhost, "VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS", "true",
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + database,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER,
                "LOG_CONSUMER_STORAGE_ENABLED", String.valueOf(storage),
                "LOG_CONSUMER_PREFETCH", String.valueOf(prefetch)));
        for (String setting : workerEnv.split(",")) {
            if (setting.contains("=")) {
                env.put(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        return WorkerProcess.start(jar, jvm, env, PORT, logs.resolve("log-consumer.log"));
    }

    private record Drains(Drain perfTest, Drain bare, Drain stored) {
    }

    /** The three consumers, each on a backlog of 2 x {@code half} of its own. */
    private Drains drainEach(Connection connection, int half) throws Exception {
        Backlog.publish(connection, "bench", 2 * half);
        Drain perfTest = drainWithPerfTest(half);
        Backlog.publish(connection, "bench", 2 * half);
        Drain bare = drainWithWorker(false, half);
        Backlog.publish(connection, "bench", 2 * half);
        return new Drains(perfTest, bare, drainWithWorker(true, half));
    }

    /** Rates of the first half (cold) and the second half (warm) of one 2N backlog, with the worker's RSS. */
    /** {@code cpu}: CPU microseconds per message of consumer / broker / PostgreSQL over the whole drain. */
    record Drain(double cold, double warm, long maxRss, List<Long> rssSamplesMiB, String cpu) {

        String describe(Drain reference) {
            return reference == null ? String.format("cold %.0f, warm %.0f msg/s, CPU %s µs/msg", cold, warm, cpu)
                    : String.format("cold %.0f msg/s (%.2fx), warm %.0f msg/s (%.2fx), CPU %s µs/msg", cold,
                            cold / reference.cold, warm, warm / reference.warm, cpu);
        }
    }

    private static final class Rates {
        final List<Double> cold = new ArrayList<>();
        final List<Double> warm = new ArrayList<>();

        void add(Drain drain) {
            cold.add(drain.cold());
            warm.add(drain.warm());
        }

        String coldRatios(Rates reference) {
            return ratios(cold, reference.cold);
        }

        String warmRatios(Rates reference) {
            return ratios(warm, reference.warm);
        }

        private static String ratios(List<Double> values, List<Double> reference) {
            List<String> ratios = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                ratios.add(String.format("%.2f", values.get(i) / reference.get(i)));
            }
            return ratios.toString();
        }
    }

    /**
     * Starts the worker on a backlog of 2 x {@code half}; the cold half is timed from the queue's first
     * delivery until {@code half} are left, the warm half from then to the worker's last ack.
     */
    private Drain drainWithWorker(boolean storage, int half) throws Exception {
        try (WorkerProcess worker = worker(storage)) {
            long first = awaitFirstDelivery(2 * half, worker::isAlive);
            CpuUse cpuAtFirst = CpuUse.of(worker.pid());
            long middle = 0;
            long maxRss = 0;
            List<Long> samples = new ArrayList<>();
            long nextSample = 0;
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextSample) {
                    long rss = worker.rssBytes();
                    maxRss = Math.max(maxRss, rss);
                    samples.add(rss >> 20);
                    nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(half >= 500_000 ? 5 : 1);
                }
                long ready = Backlog.ready(polling, Topology.LOG_QUEUE);
                if (middle == 0 && ready > 0 && ready <= half) {
                    middle = System.nanoTime();
                }
                if (middle != 0 && ready == 0 && worker.metric(ACKED) >= 2 * half) {
                    long last = System.nanoTime();
                    return new Drain(rate(half, first, middle), rate(half, middle, last), maxRss, samples,
                            CpuUse.of(worker.pid()).perMessage(cpuAtFirst, 2L * half));
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("log-consumer did not drain " + 2 * half + " events within " + DRAIN_TIMEOUT);
        }
    }

    /**
     * PerfTest's consumer with the same prefetch, acking each message, stopping after the backlog of
     * 2 x {@code half}; timed as the worker, until it reports that it reached that count.
     */
    private Drain drainWithPerfTest(int half) throws Exception {
        String uri = "amqp://" + BrokerAdmin.USERNAME + ":" + BrokerAdmin.PASSWORD + "@" + BrokerAdmin.HOST + ":"
                + BrokerAdmin.PORT + "/" + java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "com.rabbitmq.perf.PerfTest", "-h", uri, "-x", "0", "-y", "1",
                "-D", String.valueOf(2 * half), "-u", Topology.LOG_QUEUE, "--predeclared", "-q", String.valueOf(prefetch),
                "-A", "1");
        Process perfTest = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("perftest.log").toFile()).start();
        try {
            long first = awaitFirstDelivery(2 * half, perfTest::isAlive);
            CpuUse cpuAtFirst = CpuUse.of(perfTest.pid());
            long middle = awaitReadyAtMost(half, perfTest::isAlive);
            long last = awaitPerfTestStopped(perfTest);
            String cpu = CpuUse.of(perfTest.pid()).perMessage(cpuAtFirst, 2L * half);
            if (!perfTest.waitFor(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || perfTest.exitValue() != 0) {
                throw new IllegalStateException("PerfTest failed, see " + logs.resolve("perftest.log"));
            }
            return new Drain(rate(half, first, middle), rate(half, middle, last), 0, List.of(), cpu);
        } finally {
            perfTest.destroyForcibly();
        }
    }

    /**
     * When PerfTest reports that its consumer reached the message count (it acks each message as it gets
     * it): its exit comes later, after its summary and the JVM's shutdown, and would flatter the worker.
     */
    private long awaitPerfTestStopped(Process perfTest) throws Exception {
        Path output = logs.resolve("perftest.log");
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        // Read as bytes: PerfTest writes "µs" in whatever encoding its JVM defaults to.
        while (!new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1).contains("test stopped")) {
            if (!perfTest.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("PerfTest exited without reaching its message count, see " + output);
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    private static double rate(int count, long fromNanos, long toNanos) {
        return count / ((toNanos - fromNanos) / 1e9);
    }

    private long awaitReadyAtMost(long left, BooleanSupplier consumerAlive) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        for (long ready = Backlog.ready(polling, Topology.LOG_QUEUE); ready > left || ready == 0;
                ready = Backlog.ready(polling, Topology.LOG_QUEUE)) {
            if (!consumerAlive.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer exited or stalled, see the logs in bench/target");
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    private long awaitFirstDelivery(int backlog, BooleanSupplier consumerAlive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (long ready = Backlog.ready(polling, Topology.LOG_QUEUE); ready >= backlog || ready == 0;
                ready = Backlog.ready(polling, Topology.LOG_QUEUE)) {
            if (!consumerAlive.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer exited or never started, see the logs in bench/target");
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    /**
     * Publishes at a fixed rate, first {@value #WARM_UP_SECONDS} s not counted (a fresh JVM compiles its hot
     * paths then); latency is stored_at minus the event's timestamp, which is set when it is published.
     */
    private double[] steadyStateLatency(Connection connection) throws Exception {
        try (WorkerProcess worker = worker(true)) {
            worker.awaitReady(Duration.ofSeconds(60));
            publishAtRate(connection, "warmup", rate * WARM_UP_SECONDS);
            int total = rate * seconds;
            publishAtRate(connection, "latency", total);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (count("service = 'latency'") < total && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            try (var db = TestDatabase.connect(database); Statement sql = db.createStatement();
                    ResultSet row = sql.executeQuery("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), "
                            + "percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM "
                            + "stored_at - event_time) * 1000 AS ms FROM log_events WHERE service = 'latency') l")) {
                row.next();
                return new double[] { row.getDouble(1), row.getDouble(2) };
            }
        }
    }

    private void publishAtRate(Connection connection, String service, int total) throws Exception {
        try (Channel channel = connection.createChannel()) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                channel.basicPublish(Topology.LOG_EXCHANGE, "info." + service, false, Backlog.properties(),
                        Backlog.event(service, LogLevel.INFO, OffsetDateTime.now(ZoneOffset.UTC)));
            }
        }
    }

    private long count(String where) throws Exception {
        try (var db = TestDatabase.connect(database); Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SELECT count(*) FROM log_events WHERE " + where)) {
            row.next();
            return row.getLong(1);
        }
    }

    private void truncate() throws Exception {
        try (var db = TestDatabase.connect(database); Statement sql = db.createStatement()) {
            sql.execute("TRUNCATE log_events");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("bench"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run the bench from the project (README, Benchmarks)");
    }

}
