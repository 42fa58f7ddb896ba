package com.vivesphere.mq.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.testing.AppEnvironment;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.PackagedApp.App;
import com.vivesphere.mq.testing.ProjectRoot;
import com.vivesphere.mq.testing.TestDatabase;
import com.vivesphere.mq.testing.XApiStub;
import com.vivesphere.mq.common.topology.Topology;

/**
 * Measures bot-action-worker executing actions against the X API stand-in ({@link XApiStub}) answering every call
 * after {@code bench.x-latency-ms} (100 ms), in a vhost and database of its own. Each round pre-publishes
 * 2 x {@code bench.actions} likes spread over {@code bench.bots} bots, starts the worker with
 * {@code BOT_WORKER_PREFETCH = bench.inflight}, and times the first half from the first delivery (cold) and
 * the second half (warm) by the actions the ledger records as succeeded. The ceiling is in-flight / latency (50 / 0.1 s = 500 actions/s); the target 0.8 of it.
 */
public final class BotBench {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private final int actions = Integer.getInteger("bench.actions", 5_000);
    private final int bots = Integer.getInteger("bench.bots", 25);
    private final int inFlight = Integer.getInteger("bench.inflight", 50);
    private final int latencyMs = Integer.getInteger("bench.x-latency-ms", 100);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private final List<String> jvm = Bench.jvmOptions();

    private final Path root = ProjectRoot.PATH;
    private final Path logs = root.resolve("bench/target");
    private final BrokerAdmin admin = new BrokerAdmin();

    public static void main(String[] args) throws Exception {
        new BotBench().run();
    }

    private void run() throws Exception {
        Files.createDirectories(logs);
        String vhost = admin.createVhost();
        String database = TestDatabase.create();
        // X sends its rate-limit headers with every answer; the stand-in's generous window keeps the limiter out of the way.
        XApiStub x = new XApiStub(Duration.ofMillis(latencyMs));
        Path credentials = x.credentialsFile(logs, "refresh-", bots);
        try (Connection connection = admin.connect(vhost)) {
            admin.importDefinitions(vhost, Files.readString(root.resolve("infrastructure/message_queue/definitions.json")));
            Map<String, String> env = new HashMap<>(AppEnvironment.local(vhost, database));
            env.putAll(x.env(credentials));
            env.put("BOT_WORKER_PREFETCH", String.valueOf(inFlight));
            double ceiling = inFlight / (latencyMs / 1000.0);
            System.out.printf("vivesphere-mq bot bench: %d actions over %d bots per round, %d in flight, X answers in %d ms "
                    + "(ceiling %.0f actions/s), %d rounds, worker JVM %s, %d cores%n", actions, bots, inFlight, latencyMs,
                    ceiling, rounds, jvm, Runtime.getRuntime().availableProcessors());
            // Each round: 2N actions for a fresh worker; the first N run cold (the JVM compiling its hot paths),
            // the next N warm, as in a long-running worker.
            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            try (var db = TestDatabase.connect(database); Channel polling = connection.createChannel()) {
                for (int round = 1; round <= rounds; round++) {
                    publish(connection);
                    double[] rate = drain(polling, env, db, round);
                    cold.add(rate[0]);
                    warm.add(rate[1]);
                    System.out.printf("round %d: cold %.0f actions/s = %.2f, warm %.0f actions/s = %.2f of the ceiling%n",
                            round, rate[0], rate[0] / ceiling, rate[1], rate[1] / ceiling);
                }
            }
            System.out.printf("medians: cold %.0f actions/s = %.2f, warm %.0f actions/s = %.2f x (in-flight / X latency); "
                    + "target 0.80%n", Bench.median(cold), Bench.median(cold) / ceiling, Bench.median(warm), Bench.median(warm) / ceiling);
        } finally {
            x.close();
            Files.deleteIfExists(credentials);
            admin.deleteVhost(vhost);
            TestDatabase.drop(database);
        }
    }

    /** Likes spread round-robin over the bots, so every bot has actions all along. */
    private void publish(Connection connection) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < 2 * actions; i++) {
                String bot = "bot-" + (1 + i % bots);
                String id = UUID.randomUUID().toString();
                String body = "{\"schemaVersion\":1,\"actionId\":\"" + id + "\",\"botId\":\"" + bot
                        + "\",\"type\":\"LIKE\",\"targetPostId\":\"" + (1_000_000 + i) + "\"}";
                channel.basicPublish(Topology.BOT_ACTION_EXCHANGE, "like." + bot, false,
                        MessagePublisher.properties(id, "BotAction"), body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    /** Rates of the first N actions (from the first delivery) and the next N, as the ledger records them succeeded. */
    private double[] drain(Channel polling, Map<String, String> env, java.sql.Connection db, int round)
            throws Exception {
        try (PackagedApp worker = PackagedApp.start(App.BOT_ACTION_WORKER, jvm, env, logs.resolve("bot-action-worker.log"))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            for (long ready = Backlog.ready(polling, Topology.BOT_ACTION_QUEUE); ready >= 2L * actions || ready == 0;
                    ready = Backlog.ready(polling, Topology.BOT_ACTION_QUEUE)) {
                if (!worker.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("bot-action-worker exited or never started, see bench/target");
                }
                Thread.sleep(2);
            }
            long first = System.nanoTime();
            long before = 2L * actions * (round - 1);
            long middle = awaitSucceeded(db, before + actions);
            long last = awaitSucceeded(db, before + 2L * actions);
            return new double[] { actions / ((middle - first) / 1e9), actions / ((last - middle) / 1e9) };
        }
    }

    private static long awaitSucceeded(java.sql.Connection db, long target) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (succeeded(db) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bot-action-worker did not execute its actions in time");
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    /** One connection for the whole run: a new one every poll costs PostgreSQL a process fork on the same cores. */
    private static long succeeded(java.sql.Connection db) throws Exception {
        try (Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SELECT count(*) FROM bot_action_executions WHERE state = 'SUCCEEDED'")) {
            row.next();
            return row.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the worker has not created its tables yet
            }
            throw e;
        }
    }
}
