package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 2: {@code SIGTERM} under load. What the worker had taken is finished and acked before it exits:
 * after the exit, every message is either done (stored, executed) or back in its queue, never both, and the
 * next worker gets nothing again that was done.
 */
class GracefulStopFaultIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void logConsumerFinishesAndAcksWhatItHoldsBeforeExiting() throws Exception {
        int total = 30_000;
        String service = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Figures.output().resolve("graceful-stop");
        List<Traffic.Outgoing> events = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            events.add(Traffic.logEvent(UUID.randomUUID(), service));
        }
        try (Sandbox sandbox = Sandbox.onLocalBroker(); Connection producer = sandbox.connect("fault-producer")) {
            PackagedApp first = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer-1.log"));
            PackagedApp second = null;
            try {
                first.awaitReady(START);
                // Published while the worker consumes, so the stop lands under load however fast the worker is
                // (with the stream published first, a fast worker had stored all of it before the signal).
                CompletableFuture<Void> publishing = Traffic.publishInBackground(producer, total, events::get);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> sandbox.rows("log_events", "true") >= total / 4);

                long stopping = System.nanoTime();
                int exit = first.terminate(Duration.ofSeconds(60));
                double exitSeconds = (System.nanoTime() - stopping) / 1e9;
                long stored = sandbox.rows("log_events", "true");
                publishing.get(2, TimeUnit.MINUTES);
                // Whatever the broker still counted as delivered comes back to the queue once it saw the channel close.
                AtomicLong ready = new AtomicLong(-1);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ready.getAndSet(sandbox.ready(Topology.LOG_QUEUE)) == ready.get());
                long waiting = ready.get();

                assertThat(exit).as("exit code (143: after SIGTERM, shutdown completed)").isIn(0, 143);
                // Stored and acked, or not stored and back in the queue: never both, never neither.
                assertThat(stored + waiting).as("stored + waiting in the queue").isEqualTo(total);
                assertThat(waiting).as("events not consumed yet when the signal came (the stop was under load)").isPositive();

                second = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer-2.log"));
                second.awaitReady(START);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("log_events", "true") >= total);
                PackagedApp restarted = second;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.LOG_QUEUE) == 0 && restarted.unsettled() == 0);
                double redelivered = second.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");
                double received = second.metricSum("vivesphere_messages_received_total");

                // The broker flags as redelivered what it had dispatched towards the cancelled consumer and never handed
                // over (a quorum-queue race of basic.cancel): not done, so each goes round once more, as the Intake does.
                assertThat(received).as("received by the next worker").isEqualTo(waiting + redelivered);
                assertThat(sandbox.rows("log_events", "true")).isEqualTo(total);
                assertThat(sandbox.count("SELECT count(DISTINCT id) FROM log_events")).isEqualTo(total);
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).isZero();

                Figures.record("2 SIGTERM log-consumer", "events / stored and acked / back in the queue, not stored",
                        total + " / " + stored + " / " + waiting);
                Figures.record("2 SIGTERM log-consumer", "of those, flagged redelivered (dispatched, never handed over)",
                        (long) redelivered);
                Figures.record("2 SIGTERM log-consumer", "SIGTERM to exit (exit code)", Figures.seconds(exitSeconds) + " (" + exit + ")");
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void botActionWorkerFinishesAndAcksWhatItHoldsBeforeExiting() throws Exception {
        int total = 600;
        Path logs = Figures.output().resolve("graceful-stop");
        List<Traffic.Outgoing> actions = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            UUID id = UUID.randomUUID();
            texts.add("fault-suite graceful " + id);
            actions.add(Traffic.botAction(id, "bot-" + (i % XApiStub.BOTS + 1), "POST", "\"text\":\"" + texts.get(i) + "\""));
        }
        try (Sandbox sandbox = Sandbox.onLocalBroker(); XApiStub x = new XApiStub(Duration.ofMillis(150));
                Connection producer = sandbox.connect("fault-producer")) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.putAll(x.env(x.credentialsFile(logs, "refresh-")));
            PackagedApp first = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, env, logs.resolve("bot-action-worker-1.log"));
            PackagedApp second = null;
            try {
                first.awaitReady(START);
                Traffic.publish(producer, actions);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> x.postsCreated() >= total / 4);

                long stopping = System.nanoTime();
                int exit = first.terminate(Duration.ofSeconds(60));
                double exitSeconds = (System.nanoTime() - stopping) / 1e9;
                // Actions deferred meanwhile (a bot's slots were taken) come back from the delay levels within seconds.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> sandbox.delayed() == 0);
                long done = sandbox.rows("bot_action_executions", "state = 'SUCCEEDED'");
                AtomicLong ready = new AtomicLong(-1);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ready.getAndSet(sandbox.ready(Topology.BOT_ACTION_QUEUE)) == ready.get());
                long waiting = ready.get();
                long posted = x.postsCreated();

                assertThat(exit).as("exit code (143: after SIGTERM, shutdown completed)").isIn(0, 143);
                assertThat(posted).as("posted on X = recorded as succeeded").isEqualTo(done);
                assertThat(done + waiting).as("succeeded + waiting in the queue").isEqualTo(total);

                // An action done before the exit and delivered again would be answered SKIPPED_DUPLICATE from the ledger.
                Channel results = producer.createChannel();
                String skipped = results.queueDeclare("", false, true, true, Map.of()).getQueue();
                results.queueBind(skipped, Topology.BOT_ACTION_EVENT_EXCHANGE, "skipped_duplicate.#");
                second = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, env, logs.resolve("bot-action-worker-2.log"));
                second.awaitReady(START);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("bot_action_executions", "state = 'SUCCEEDED'") == total);
                PackagedApp restarted = second;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.BOT_ACTION_QUEUE) == 0 && restarted.unsettled() == 0);
                double redelivered = second.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");

                long skippedDuplicates = results.queueDeclarePassive(skipped).getMessageCount();
                assertThat(skippedDuplicates).as("actions done before the exit and delivered again").isZero();
                assertThat(x.postsCreated()).isEqualTo(total);
                assertThat(x.textsPostedMoreThanOnce()).isZero();
                assertThat(texts).allSatisfy(text -> assertThat(x.created(text)).isEqualTo(1));
                assertThat(sandbox.ready(Topology.DEAD_LETTER_QUEUE)).isZero();

                Figures.record("2 SIGTERM bot-action-worker", "actions / done and acked / back in the queue, not done",
                        total + " / " + done + " / " + waiting);
                Figures.record("2 SIGTERM bot-action-worker", "done and delivered again / flagged redelivered (not done)",
                        skippedDuplicates + " / " + (long) redelivered);
                Figures.record("2 SIGTERM bot-action-worker", "SIGTERM to exit (exit code)",
                        Figures.seconds(exitSeconds) + " (" + exit + ")");
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
