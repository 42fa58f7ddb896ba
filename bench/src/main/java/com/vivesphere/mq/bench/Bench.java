package com.vivesphere.mq.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.testing.AppEnvironment;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.ProductionJvm;
import com.vivesphere.mq.testing.ProjectRoot;
import com.vivesphere.mq.testing.SmallRyeRabbitMQ;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.common.topology.Topology;

/**
 * Measures log-consumer on the local broker and PostgreSQL, against RabbitMQ PerfTest's consumer on the
 * same broker in the same run, in a vhost and a database of its own (both removed at the end):
 * <ol>
 * <li>start-up: JVM start to readiness UP;</li>
 * <li>backlog drain, each round: 2N events pre-published, then PerfTest's consumer (manual ack of each,
 * same prefetch), a plain Spring Boot batch listener storing into PostgreSQL ({@code bench-peer-spring}: what a
 * team would build without this project; same prefetch, same JVM options), and log-consumer on each connector
 * ({@value #CLIENT_CONNECTOR}, the default, and the Quarkus extension's {@value #SMALLRYE_CONNECTOR}) without
 * storage and storing into PostgreSQL, each in a fresh JVM; the first N are timed from the first delivery
 * (cold), the last N until the last ack (warm; for the Spring peer, which has no metrics, until all 2N
 * events are stored);</li>
 * <li>steady state: events published at a fixed rate after a warm-up, latency from publish to stored (p50, p99);</li>
 * <li>optionally ({@code bench.million}), the same drains on a backlog of one million events each
 * (500,000 cold, 500,000 warm), with the worker's resident memory sampled.</li>
 * </ol>
 * Settings are system properties: {@code bench.messages} (100000), {@code bench.rounds} (3),
 * {@code bench.prefetch} (1000), {@code bench.rate} (1000/s), {@code bench.seconds} (30),
 * {@code bench.million} (false), {@code bench.jvm} (JVM options of the worker; by default the production
 * image's), {@code bench.env} (extra worker environment, "NAME=value,..."), {@code bench.consumers} (the drains
 * run beside PerfTest's; all by default).
 */
public final class Bench {

    private static final int WARM_UP_SECONDS = 10;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final String ACKED = "vivesphere_messages_acked_total{queue=\"log_queue\"}";
    private static final String ACK_FRAMES = "vivesphere_rabbitmq_ack_frames_total{queue=\"log_queue\"}";
    private static final String PAUSED_FOR_SCHEMA = "vivesphere_log_store_pauses_total{reason=\"schema-not-migrated\"}";
    private static final String PAUSED_FOR_DATABASE = "vivesphere_log_store_pauses_total{reason=\"database-unavailable\"}";
    static final String CLIENT_CONNECTOR = PackagedApp.CLIENT_CONNECTOR;
    static final String SMALLRYE_CONNECTOR = SmallRyeRabbitMQ.CONNECTOR;
    /** The most that connector's stream takes in flight (SmallRyeChannelGuard). */
    private static final int SMALLRYE_MAX_PREFETCH = 256;

    private final int messages = Integer.getInteger("bench.messages", 100_000);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private final int prefetch = Integer.getInteger("bench.prefetch", 1_000);
    private final int rate = Integer.getInteger("bench.rate", 1_000);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final boolean million = Boolean.getBoolean("bench.million");
    private final List<String> jvm = jvmOptions();
    /** Extra worker environment, "NAME=value,NAME=value", to compare settings (e.g. LOG_CONSUMER_BATCH_SIZE=500). */
    private final String workerEnv = System.getProperty("bench.env", "");
    /**
     * The drains beside PerfTest's, to iterate on one:
     * "perftest-batch-acks,spring,client,client-storing,smallrye,smallrye-storing".
     */
    private final List<String> consumers = List.of(System.getProperty("bench.consumers",
            "perftest-batch-acks,spring,client,client-storing,smallrye,smallrye-storing").split("\\s*,\\s*"));

    private final Path root = ProjectRoot.PATH;
    private final Path springPeerJar = root.resolve("bench-peer-spring/target/bench-peer-spring.jar");
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
                try (PackagedApp worker = worker(true)) {
                    startups.add(worker.awaitReady(Duration.ofSeconds(60)));
                }
            }
            System.out.printf("start-up to ready: median %.2f s %s%n", median(startups), startups);

            // Each backlog holds 2N events: the first N are drained by a fresh JVM (cold, compiling its hot
            // paths), the last N by the same JVM once warm, as a long-running worker meets a backlog.
            Map<String, Rates> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                Drains drains = drainEach(connection, messages);
                truncate();
                drains.each().forEach((name, drain) -> rates.computeIfAbsent(name, n -> new Rates()).add(drain));
                System.out.printf("round %d: %s%n", round, drains.describe());
            }
            if (rounds > 0) {
                Rates perfTest = rates.get(PERF_TEST);
                rates.forEach((name, rate) -> System.out.printf("drain medians, %s: cold (first %d, fresh JVM) %.0f msg/s "
                        + "= %.2fx, per round %s; warm (next %d, same JVM) %.0f msg/s = %.2fx, per round %s%n", name,
                        messages, median(rate.cold), median(rate.cold) / median(perfTest.cold), rate.coldRatios(perfTest),
                        messages, median(rate.warm), median(rate.warm) / median(perfTest.warm), rate.warmRatios(perfTest)));
            }

            if (seconds > 0) {
                double[] latency = steadyStateLatency(connection);
                System.out.printf("steady state at %d msg/s for %d s: publish-to-stored p50 %.1f ms, p99 %.1f ms%n", rate,
                        seconds, latency[0], latency[1]);
            }

            if (million) {
                // Long enough for the worker's JIT to be warm for most of the drain, unlike the 100,000 rounds.
                int big = 500_000;
                Drains drains = drainEach(connection, big);
                System.out.printf("1,000,000-event drains (500,000 cold, then 500,000 warm): %s%n", drains.describe());
                drains.workers().forEach((name, drain) -> {
                    if (drain.maxRss() > 0) { // sampled for the JVMs the bench starts as apps, not for PerfTest
                        System.out.printf("  %s: RSS max %d MiB, samples every 5 s (MiB) %s%n", name, drain.maxRss() >> 20,
                                drain.rssSamplesMiB());
                    }
                });
            }
        } finally {
            admin.deleteVhost(vhost);
            TestDatabase.drop(database);
        }
    }

    private PackagedApp worker(boolean storage) {
        return worker(CLIENT_CONNECTOR, storage);
    }

    /** log-consumer with both log channels on {@code connector}, chosen by configuration alone. */
    private PackagedApp worker(String connector, boolean storage) {
        Map<String, String> env = new java.util.HashMap<>(AppEnvironment.local(vhost, database));
        env.put("LOG_CONSUMER_STORAGE_ENABLED", String.valueOf(storage));
        env.put("LOG_CONSUMER_PREFETCH", String.valueOf(prefetch(connector)));
        env.put("LOG_CONSUMER_ALLOW_STORAGE_DISABLED", String.valueOf(!storage));
        env.put("MP_MESSAGING_INCOMING_LOG_EVENTS_CONNECTOR", connector);
        env.put("MP_MESSAGING_INCOMING_URGENT_LOG_EVENTS_CONNECTOR", connector);
        for (String setting : workerEnv.split(",")) {
            if (setting.contains("=")) {
                env.put(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        return PackagedApp.start(App.LOG_CONSUMER, jvm, env, logs.resolve("log-consumer.log"));
    }

    private static final String PERF_TEST = "PerfTest";
    /** The workers' batch size (LOG_CONSUMER_BATCH_SIZE's default, the Spring peer's batch). */
    private static final int BATCH_ACKS = 250;

    private int prefetch(String connector) {
        return connector.equals(SMALLRYE_CONNECTOR) ? Math.min(prefetch, SMALLRYE_MAX_PREFETCH) : prefetch;
    }

    private static String label(String connector, boolean storage) {
        return connector + (storage ? " storing" : " without storage");
    }

    /** One backlog's drain by each consumer, PerfTest's first. */
    private record Drains(Drain perfTest, Map<String, Drain> workers) {

        Map<String, Drain> each() {
            Map<String, Drain> each = new LinkedHashMap<>();
            each.put(PERF_TEST, perfTest);
            each.putAll(workers);
            return each;
        }

        String describe() {
            StringBuilder line = new StringBuilder(PERF_TEST + " " + perfTest.describe(null));
            workers.forEach((name, drain) -> line.append("; ").append(name).append(' ').append(drain.describe(perfTest)));
            return line.toString();
        }
    }

    /**
     * PerfTest, then the Spring Boot peer, then log-consumer on each connector without and with storage, each on
     * a backlog of 2 x {@code half}.
     */
    private Drains drainEach(Connection connection, int half) throws Exception {
        Backlog.publish(connection, "bench", 2 * half);
        Drain perfTest = drainWithPerfTest(half, 1);
        Map<String, Drain> workers = new LinkedHashMap<>();
        if (consumers.contains("perftest-batch-acks")) {
            // What receiving alone costs a consumer that acks as the workers do: a floor for any worker.
            Backlog.publish(connection, "bench", 2 * half);
            workers.put("PerfTest, one multiple ack per " + BATCH_ACKS + " (receiving only)", drainWithPerfTest(half, BATCH_ACKS));
        }
        if (consumers.contains("spring")) {
            Backlog.publish(connection, "bench", 2 * half);
            workers.put("Spring Boot batch listener (plain stack, prefetch " + prefetch + ")", drainWithSpringPeer(half));
        }
        for (String connector : List.of(CLIENT_CONNECTOR, SMALLRYE_CONNECTOR)) {
            for (boolean storage : new boolean[] { false, true }) {
                String name = (connector.equals(CLIENT_CONNECTOR) ? "client" : "smallrye") + (storage ? "-storing" : "");
                if (!consumers.contains(name)) {
                    continue;
                }
                Backlog.publish(connection, "bench", 2 * half);
                workers.put(label(connector, storage) + " (prefetch " + prefetch(connector) + ")",
                        drainWithWorker(connector, storage, half));
            }
        }
        return new Drains(perfTest, workers);
    }

    /**
     * Rates of the first half (cold) and the second half (warm) of one 2N backlog, with the worker's RSS;
     * {@code cpu}: CPU microseconds per message of consumer / broker / PostgreSQL over the whole drain;
     * {@code settling}: ack frames sent per 1,000 messages, and the writer's pauses, where known.
     */
    record Drain(double cold, double warm, long maxRss, List<Long> rssSamplesMiB, String cpu, String settling) {

        String describe(Drain reference) {
            return reference == null ? String.format("cold %.0f, warm %.0f msg/s, CPU %s µs/msg, %s", cold, warm, cpu, settling)
                    : String.format("cold %.0f msg/s (%.2fx), warm %.0f msg/s (%.2fx), CPU %s µs/msg, %s", cold,
                            cold / reference.cold, warm, warm / reference.warm, cpu, settling);
        }
    }

    /** The resident memory of a process under test, sampled every second (every 5 s on long drains). */
    private static final class RssSamples {
        final List<Long> mib = new ArrayList<>();
        final long intervalNanos;
        long max;
        long next;

        RssSamples(int half) {
            intervalNanos = TimeUnit.SECONDS.toNanos(half >= 500_000 ? 5 : 1);
        }

        void sample(PackagedApp process) {
            if (System.nanoTime() >= next) {
                long rss = process.rssKiB() << 10;
                max = Math.max(max, rss);
                mib.add(rss >> 20);
                next = System.nanoTime() + intervalNanos;
            }
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
    private Drain drainWithWorker(String connector, boolean storage, int half) throws Exception {
        try (PackagedApp worker = worker(connector, storage)) {
            long first = awaitFirstDelivery(2 * half, worker::isAlive);
            CpuUse cpuAtFirst = CpuUse.of(worker.pid());
            long middle = 0;
            RssSamples rss = new RssSamples(half);
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                rss.sample(worker);
                long ready = Backlog.ready(polling, Topology.LOG_QUEUE);
                if (middle == 0 && ready > 0 && ready <= half) {
                    middle = System.nanoTime();
                }
                if (middle != 0 && ready == 0 && worker.metric(ACKED) >= 2 * half) {
                    long last = System.nanoTime();
                    String cpu = CpuUse.of(worker.pid()).perMessage(cpuAtFirst, 2L * half);
                    return new Drain(rate(half, first, middle), rate(half, middle, last), rss.max, rss.mib, cpu,
                            settling(worker, connector, storage, 2L * half));
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("log-consumer did not drain " + 2 * half + " events within " + DRAIN_TIMEOUT);
        }
    }

    /**
     * Ack frames per 1,000 messages (our connector counts them; the extension does not) and, storing, how often
     * the writer paused (waiting for the schema at start, or for the database).
     */
    private static String settling(PackagedApp worker, String connector, boolean storage, long messages) throws Exception {
        String acks = connector.equals(CLIENT_CONNECTOR)
                ? String.format("%.1f acks/1000 msg", worker.metric(ACK_FRAMES) * 1000 / messages)
                : "acks not counted";
        if (!storage) {
            return acks;
        }
        return String.format("%s, writer paused %.0f x for the schema, %.0f x for the database", acks,
                worker.metric(PAUSED_FOR_SCHEMA), worker.metric(PAUSED_FOR_DATABASE));
    }

    /**
     * The Spring Boot peer ({@code bench-peer-spring}: a batch listener, one JDBC batch and one multiple ack per
     * batch) on a backlog of 2 x {@code half}, in a fresh JVM with the worker's JVM options; timed as the worker,
     * the warm half until all 2N events are stored. {@code log_events} is emptied before, so that its count is
     * the peer's own, and after, so that log-consumer's drains meet the table as without the peer.
     */
    private Drain drainWithSpringPeer(int half) throws Exception {
        truncate();
        Map<String, String> env = Map.of("SPRING_RABBITMQ_HOST", BrokerAdmin.HOST,
                "SPRING_RABBITMQ_PORT", String.valueOf(BrokerAdmin.PORT), "SPRING_RABBITMQ_USERNAME", BrokerAdmin.USERNAME,
                "SPRING_RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD, "SPRING_RABBITMQ_VIRTUAL_HOST", vhost,
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + database
                        + "?reWriteBatchedInserts=true",
                "SPRING_DATASOURCE_USERNAME", TestDatabase.USER, "PEER_PREFETCH", String.valueOf(prefetch));
        // One connection for the row counts: a connection per poll would cost PostgreSQL a backend each time.
        try (PackagedApp peer = PackagedApp.start("bench-peer-spring", springPeerJar, jvm, env, logs.resolve("bench-peer-spring.log"));
                var db = TestDatabase.connect(database);
                java.sql.PreparedStatement stored = db.prepareStatement("SELECT count(*) FROM log_events")) {
            long first = awaitFirstDelivery(2 * half, peer::isAlive);
            CpuUse cpuAtFirst = CpuUse.of(peer.pid());
            long middle = 0;
            RssSamples rss = new RssSamples(half);
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && peer.isAlive()) {
                rss.sample(peer);
                long ready = Backlog.ready(polling, Topology.LOG_QUEUE);
                if (middle == 0 && ready > 0 && ready <= half) {
                    middle = System.nanoTime();
                }
                // Rows are counted only once none is left ready, so the counting does not load PostgreSQL during the drain.
                if (middle != 0 && ready == 0) {
                    long rows;
                    try (ResultSet row = stored.executeQuery()) {
                        row.next();
                        rows = row.getLong(1);
                    }
                    if (rows >= 2L * half) {
                        long last = System.nanoTime();
                        String cpu = CpuUse.of(peer.pid()).perMessage(cpuAtFirst, 2L * half);
                        if (rows != 2L * half) {
                            throw new IllegalStateException("the Spring peer stored " + rows + " rows of " + 2 * half);
                        }
                        return new Drain(rate(half, first, middle), rate(half, middle, last), rss.max, rss.mib, cpu,
                                "one multiple ack per batch (by its code)");
                    }
                    Thread.sleep(20);
                    continue;
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("the Spring peer did not store " + 2 * half + " events within " + DRAIN_TIMEOUT
                    + " or exited, see " + logs.resolve("bench-peer-spring.log"));
        } finally {
            truncate();
        }
    }

    /**
     * PerfTest's consumer with the same prefetch, one ack (multiple) per {@code ackEvery} messages, stopping after
     * the backlog of 2 x {@code half}; timed as the worker, until it reports that it reached that count.
     */
    private Drain drainWithPerfTest(int half, int ackEvery) throws Exception {
        String uri = "amqp://" + BrokerAdmin.USERNAME + ":" + BrokerAdmin.PASSWORD + "@" + BrokerAdmin.HOST + ":"
                + BrokerAdmin.PORT + "/" + java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "com.rabbitmq.perf.PerfTest", "-h", uri, "-x", "0", "-y", "1",
                "-D", String.valueOf(2 * half), "-u", Topology.LOG_QUEUE, "--predeclared", "-q", String.valueOf(prefetch),
                "-A", String.valueOf(ackEvery));
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
            return new Drain(rate(half, first, middle), rate(half, middle, last), 0, List.of(), cpu,
                    String.format("%.1f acks/1000 msg (-A %d)", 1000.0 / ackEvery, ackEvery));
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
        try (PackagedApp worker = worker(true)) {
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

    /**
     * {@code bench.jvm} ("-Xmx256m -XX:+UseSerialGC", ...), or when it is not set the production image's options
     * (Parallel GC, which costs the workers less CPU per message than G1: docs/benchmarks.md).
     */
    static List<String> jvmOptions() {
        String options = System.getProperty("bench.jvm", "").trim();
        return options.isEmpty() ? ProductionJvm.OPTIONS : List.of(options.split("\\s+"));
    }
}
