package com.vivesphere.mq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.faults.support.DeadLetterReader;
import com.vivesphere.mq.faults.support.Figures;
import com.vivesphere.mq.faults.support.MemorySampler;
import com.vivesphere.mq.faults.support.Sandbox;
import com.vivesphere.mq.faults.support.Traffic;
import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/**
 * Scenario 6: bad messages in bulk among good ones. Every good one is processed, every bad one is
 * dead-lettered with its reason, and none goes round more often than its attempt budget allows.
 */
class PoisonFloodFaultIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String REFUSED_MESSAGE = "refused by the database";

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void tenThousandBadLogEventsAmongTenThousandGoodOnes() throws Exception {
        String service = "flood-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Integer> badKinds = new LinkedHashMap<>();
        badKinds.put("malformed-json", 3_000);
        badKinds.put("schema-invalid", 3_000);
        badKinds.put("unsupported-content", 2_000);
        badKinds.put("storage-rejected", 1_500);
        badKinds.put("oversized", 500);
        int good = 10_000;
        int bad = badKinds.values().stream().mapToInt(Integer::intValue).sum();

        List<Traffic.Outgoing> messages = new ArrayList<>();
        Set<String> goodIds = new HashSet<>();
        for (int i = 0; i < good; i++) {
            UUID id = UUID.randomUUID();
            goodIds.add(id.toString());
            messages.add(Traffic.logEvent(id, service));
        }
        Map<String, String> kindOf = new HashMap<>();
        badKinds.forEach((kind, count) -> {
            for (int i = 0; i < count; i++) {
                String messageId = "bad-" + kind + "-" + i;
                kindOf.put(messageId, kind);
                messages.add(poison(kind, messageId, service));
            }
        });
        Collections.shuffle(messages, new Random(6));

        Path logs = Figures.output().resolve("poison-flood");
        try (Sandbox sandbox = Sandbox.onLocalBroker(); Connection producer = sandbox.connect("fault-producer")) {
            PackagedApp worker = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer.log"));
            try (worker; MemorySampler memory = new MemorySampler(worker)) {
                worker.awaitReady(START);
                // What PostgreSQL refuses, within the contract: a rule of the database's own (as a DBA could add).
                sandbox.execute("ALTER TABLE log_events ADD CONSTRAINT dba_rule CHECK (message <> '" + REFUSED_MESSAGE
                        + "') NOT VALID");
                long start = System.nanoTime();
                Traffic.publish(producer, messages);
                List<DeadLetterReader.Letter> letters = DeadLetterReader.take(sandbox, bad, Duration.ofMinutes(4));
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("log_events", "true") >= good);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.LOG_QUEUE) == 0 && worker.unsettled() == 0);
                double seconds = (System.nanoTime() - start) / 1e9;

                Set<String> stored = new HashSet<>(sandbox.column("SELECT id::text FROM log_events"));
                Map<String, Long> reasons = letters.stream()
                        .collect(Collectors.groupingBy(l -> l.header(FailureHeaders.REASON), Collectors.counting()));
                long wrongReason = letters.stream().filter(l -> !l.header(FailureHeaders.REASON).equals(kindOf.get(l.messageId())))
                        .count();
                Map<String, Long> attempts = letters.stream()
                        .collect(Collectors.groupingBy(l -> l.header(FailureHeaders.ATTEMPTS), Collectors.counting()));
                double received = worker.metricSum("vivesphere_messages_received_total");
                double redelivered = worker.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");

                assertThat(stored).as("good events stored").isEqualTo(goodIds);
                assertThat(sandbox.rows("log_events", "true")).isEqualTo(good);
                assertThat(letters).as("dead letters").hasSize(bad);
                assertThat(letters.stream().map(DeadLetterReader.Letter::messageId).distinct().count()).isEqualTo(bad);
                assertThat(reasons).isEqualTo(badKinds.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue())));
                assertThat(wrongReason).isZero();
                assertThat(letters).allSatisfy(l -> assertThat(l.header(FailureHeaders.ERROR_MESSAGE)).isNotBlank());
                assertThat(attempts).as("attempts per dead letter").isEqualTo(Map.of("1", (long) bad));
                assertThat(received).as("deliveries: one per message").isEqualTo(good + bad);
                assertThat(redelivered).as("broker redeliveries").isZero();
                assertThat(worker.isAlive()).isTrue();
                assertThat(worker.status("/q/health/ready")).isEqualTo(200);

                Figures.record("6 poison flood log-consumer", "good / stored / bad / dead-lettered with its reason",
                        good + " / " + stored.size() + " / " + bad + " / " + (letters.size() - wrongReason));
                Figures.record("6 poison flood log-consumer", "deliveries per poison message (broker redeliveries)",
                        String.format("%.2f (%d)", (received - good) / bad, (long) redelivered));
                Figures.record("6 poison flood log-consumer", "max RSS sampled / peak RSS (VmHWM), -Xmx192m",
                        Figures.mib(memory.maxKiB()) + " / " + Figures.mib(worker.peakRssKiB()));
                Figures.record("6 poison flood log-consumer", "20,000 messages settled in", Figures.seconds(seconds));
            }
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void failingBotActionsAreRetriedWithinTheirBudgetThenDeadLettered() throws Exception {
        int failing = 300;
        int good = 300;
        int maxAttempts = 3;
        List<Traffic.Outgoing> actions = new ArrayList<>();
        for (int i = 0; i < failing; i++) {
            actions.add(Traffic.botAction(UUID.randomUUID(), "bot-" + (i % XApiStub.BOTS + 1), "LIKE", "\"targetPostId\":\"fail-" + i + "\""));
            actions.add(Traffic.botAction(UUID.randomUUID(), "bot-" + (i % XApiStub.BOTS + 1), "LIKE", "\"targetPostId\":\"ok-" + i + "\""));
        }
        Collections.shuffle(actions, new Random(6));
        Path logs = Figures.output().resolve("poison-flood");
        try (Sandbox sandbox = Sandbox.onLocalBroker(); XApiStub x = new XApiStub(Duration.ofMillis(20));
                Connection producer = sandbox.connect("fault-producer")) {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.putAll(x.env(x.credentialsFile(logs, "refresh-")));
            env.put("BOT_WORKER_RETRY_MAX_ATTEMPTS", String.valueOf(maxAttempts));
            env.put("BOT_WORKER_RETRY_INITIAL_DELAY", "1s");
            env.put("BOT_WORKER_RETRY_MAX_DELAY", "2s");
            PackagedApp worker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, env, logs.resolve("bot-action-worker.log"));
            try (worker) {
                worker.awaitReady(START);
                Traffic.publish(producer, actions);
                List<DeadLetterReader.Letter> letters = DeadLetterReader.take(sandbox, failing, Duration.ofMinutes(3));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.rows("bot_action_executions", "state = 'SUCCEEDED'") == good);
                // Nothing goes round any more: no calls, no deliveries, empty queues, for a while.
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sandbox.ready(Topology.BOT_ACTION_QUEUE) + sandbox.delayed() == 0
                                && worker.unsettled() == 0 && x.likeCalls() == (long) failing * maxAttempts + good);

                Map<Integer, Long> callsPerPoison = new HashMap<>();
                Map<Integer, Long> callsPerGood = new HashMap<>();
                for (int i = 0; i < failing; i++) {
                    callsPerPoison.merge(x.likeCalls("fail-" + i), 1L, Long::sum);
                    callsPerGood.merge(x.likeCalls("ok-" + i), 1L, Long::sum);
                }
                double redelivered = worker.metricSum("vivesphere_messages_failed_total", "reason=\"redelivered\"");

                assertThat(letters).hasSize(failing);
                assertThat(letters).allSatisfy(l -> {
                    assertThat(l.header(FailureHeaders.REASON)).isEqualTo("x-server-error");
                    assertThat(l.header(FailureHeaders.FAILURE_CLASS)).isEqualTo("transient");
                    assertThat(l.header(FailureHeaders.ATTEMPTS)).isEqualTo(String.valueOf(maxAttempts));
                });
                assertThat(callsPerPoison).as("X calls per failing action").isEqualTo(Map.of(maxAttempts, (long) failing));
                assertThat(callsPerGood).as("X calls per good action").isEqualTo(Map.of(1, (long) good));
                assertThat(redelivered).as("broker redeliveries").isZero();

                Figures.record("6 poison flood bot-action-worker", "good executed / failing dead-lettered (x-server-error)",
                        good + " / " + letters.size());
                Figures.record("6 poison flood bot-action-worker", "X calls per failing action (budget) / broker redeliveries",
                        maxAttempts + " (" + maxAttempts + ") / " + (long) redelivered);
            }
        }
    }

    private static Traffic.Outgoing poison(String kind, String messageId, String service) {
        UUID id = UUID.randomUUID();
        String valid = Traffic.logEventJson(id, service, "INFO", "fine");
        Function<String, AMQP.BasicProperties> props = type -> new AMQP.BasicProperties.Builder().contentType(type)
                .deliveryMode(2).messageId(messageId).build();
        String body;
        String contentType = "application/json";
        switch (kind) {
            case "malformed-json" -> body = valid.substring(0, valid.length() / 2);
            case "schema-invalid" -> body = valid.replace("\"level\":\"INFO\"", "\"level\":\"LOUD\"");
            case "unsupported-content" -> {
                body = valid;
                contentType = "text/plain";
            }
            case "storage-rejected" -> body = valid.replace("\"message\":\"fine\"", "\"message\":\"" + REFUSED_MESSAGE + "\"");
            case "oversized" -> body = valid.replace("\"message\":\"fine\"", "\"message\":\"" + "x".repeat(300 * 1024) + "\"");
            default -> throw new IllegalArgumentException(kind);
        }
        return new Traffic.Outgoing(Topology.LOG_EXCHANGE, "info." + service, props.apply(contentType),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
