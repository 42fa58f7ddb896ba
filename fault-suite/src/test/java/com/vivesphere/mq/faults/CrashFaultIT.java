package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/** Scenario 1: a worker killed with {@code kill -9} in the middle of a stream, then started again. */
class CrashFaultIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void logConsumerKilledMidStreamStoresEveryEventExactlyOnce() throws Exception {
        int total = 50_000;
        String service = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            ids.add(UUID.randomUUID());
        }
        Path logs = Figures.output().resolve("crash");
        try (Sandbox sandbox = Sandbox.onLocalBroker(); Connection producer = sandbox.connect("fault-producer")) {
            PackagedApp first = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer-1.log"));
            PackagedApp second = null;
            try {
                first.awaitReady(START);
                CompletableFuture<Void> publishing = Traffic.publishInBackground(producer, total,
                        i -> Traffic.logEvent(ids.get(i), service));

                // Killed while it holds deliveries it has not acked (not in a pause of the producer's, all settled)
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sandbox.rows("log_events", "true") >= total * 3 / 10 && first.unsettled() > 0);
                double ackedBeforeKill = first.metricSum("vivesphere_messages_acked_total");
                first.kill();
                long storedAtKill = sandbox.rows("log_events", "true");

                second = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer-2.log"));
                double startup = second.awaitReady(START);
                publishing.get(5, TimeUnit.MINUTES);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("log_events", "true") >= total);
                // Nothing more comes: every copy went through, the queues are empty.
                PackagedApp restarted = second;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.LOG_QUEUE) == 0 && restarted.unsettled() == 0);

                long rows = sandbox.rows("log_events", "true");
                long distinct = sandbox.count("SELECT count(DISTINCT id) FROM log_events");
                Set<String> stored = new HashSet<>(sandbox.column("SELECT id::text FROM log_events"));
                long missing = ids.stream().map(UUID::toString).filter(id -> !stored.contains(id)).count();
                double redelivered = second.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");

                assertThat(missing).as("events lost").isZero();
                assertThat(rows).as("rows").isEqualTo(total);
                assertThat(distinct).as("distinct ids").isEqualTo(total);
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();
                assertThat(sandbox.ready(Topology.LOG_QUEUE)).isZero();
                assertThat(redelivered).as("deliveries the killed worker had not acked").isPositive();

                Figures.record("1 kill -9 log-consumer", "events published / stored / lost / duplicates",
                        total + " / " + rows + " / " + missing + " / " + (rows - distinct));
                Figures.record("1 kill -9 log-consumer", "stored when killed (acked by then)",
                        storedAtKill + " (" + (long) ackedBeforeKill + ")");
                Figures.record("1 kill -9 log-consumer", "redelivered to the restarted worker", (long) redelivered);
                Figures.record("1 kill -9 log-consumer", "restart to ready", Figures.seconds(startup));
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void botActionWorkerKilledMidStreamPostsEveryActionExactlyOnce() throws Exception {
        int total = 1_000;
        Path logs = Figures.output().resolve("crash");
        Map<UUID, String> texts = new HashMap<>();
        List<Traffic.Outgoing> actions = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            UUID id = UUID.randomUUID();
            String text = "fault-suite post " + id;
            texts.put(id, text);
            actions.add(Traffic.botAction(id, "bot-" + (i % XApiStub.BOTS + 1), "POST", "\"text\":\"" + text + "\""));
        }
        try (Sandbox sandbox = Sandbox.onLocalBroker(); XApiStub x = new XApiStub(Duration.ofMillis(40));
                Connection producer = sandbox.connect("fault-producer")) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.putAll(x.env(x.credentialsFile(logs, "refresh-")));
            // The killed worker's leases run out quickly, so the restarted one may take its actions over.
            env.put("BOT_WORKER_ACTION_LEASE", "5s");
            PackagedApp first = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, env, logs.resolve("bot-action-worker-1.log"));
            PackagedApp second = null;
            try {
                first.awaitReady(START);
                Traffic.publish(producer, actions);

                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> x.postsCreated() >= total * 3 / 10);
                first.kill();
                long inFlightAtKill = sandbox.rows("bot_action_executions", "state = 'IN_PROGRESS'");
                long unknownAtKill = sandbox.rows("bot_action_executions", "state = 'IN_PROGRESS' AND outcome_unknown");

                second = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, env, logs.resolve("bot-action-worker-2.log"));
                second.awaitReady(START);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("bot_action_executions", "state = 'SUCCEEDED'") == total);
                PackagedApp restarted = second;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.BOT_ACTION_QUEUE) == 0 && restarted.unsettled() == 0);

                long postedTwice = texts.values().stream().filter(text -> x.created(text) > 1).count();
                long neverPosted = texts.values().stream().filter(text -> x.created(text) == 0).count();
                assertThat(neverPosted).as("actions never executed").isZero();
                assertThat(postedTwice).as("actions executed twice").isZero();
                assertThat(x.postsCreated()).isEqualTo(total);
                assertThat(sandbox.rows("bot_action_executions", "true")).isEqualTo(total);
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).as("dead letters").isZero();
                assertThat(unknownAtKill).as("actions whose request was sent, outcome unknown, when killed").isPositive();

                Figures.record("1 kill -9 bot-action-worker", "actions / posted on X stub / lost / posted twice",
                        total + " / " + x.postsCreated() + " / " + neverPosted + " / " + postedTwice);
                Figures.record("1 kill -9 bot-action-worker", "taken, not finished when killed (request sent, outcome unknown)",
                        inFlightAtKill + " (" + unknownAtKill + ")");
                Figures.record("1 kill -9 bot-action-worker", "POST requests / refused as duplicate / timeline reconciliations",
                        x.postRequests() + " / " + x.duplicatesRefused() + " / " + x.timelineRequests());
                Figures.record("1 kill -9 bot-action-worker", "redelivered to the restarted worker",
                        (long) second.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\""));
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
