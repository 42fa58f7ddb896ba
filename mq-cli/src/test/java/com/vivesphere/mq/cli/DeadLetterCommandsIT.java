package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;

class DeadLetterCommandsIT extends CliTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private DeadLetterFixtures letters;

    @BeforeEach
    void fixtures() {
        letters = new DeadLetterFixtures(connection);
    }

    private List<String> idsIn(String queue) throws Exception {
        return drain(queue).stream().map(r -> r.getProps().getMessageId()).toList();
    }

    @Test
    void listShowsWorkerAndBrokerDeadLettersWithoutTakingThem() throws Exception {
        declareTopology(QueueType.QUORUM);
        String worker = letters.fromWorker(Topology.BOT_ACTION_QUEUE, "processing-failed", "transient");
        String broker = letters.fromBroker();

        Result table = mqctl("dlq", "list");
        Result json = mqctl("dlq", "list", "--json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines().toList()).hasSize(3);
        assertThat(table.out()).containsPattern("ID +QUEUE +REASON +CLASS +ATTEMPTS +AGE")
                .containsPattern(worker + " +bot_action_queue +processing-failed +transient +3 +5m")
                .containsPattern(broker + " +log_queue +rejected +broker +0 +\\d+s");
        JsonNode items = JSON.readTree(json.out());
        assertThat(items).hasSize(2);
        assertThat(items.get(1).path("source").asText()).isEqualTo("broker");
        assertThat(items.get(1).path("originalQueue").asText()).isEqualTo(Topology.LOG_QUEUE);
        assertThat(items.get(0).path("errorType").asText()).isEqualTo("java.io.IOException");
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(worker, broker);
    }

    @Test
    void listFiltersByQueueReasonClassErrorTypeAndAge() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String old = letters.fromWorker(Topology.LOG_QUEUE, "storage-rejected", "permanent", "org.postgresql.PSQLException",
                "bad row", Duration.ofDays(3), null);
        String recent = letters.fromWorker(Topology.BOT_ACTION_QUEUE, "processing-failed", "transient");

        assertThat(mqctl("dlq", "list", "--queue", Topology.LOG_QUEUE).out()).contains(old).doesNotContain(recent);
        assertThat(mqctl("dlq", "list", "--reason", "processing-failed").out()).contains(recent).doesNotContain(old);
        assertThat(mqctl("dlq", "list", "--class", "permanent", "--class", "transient").out()).contains(old, recent);
        assertThat(mqctl("dlq", "list", "--error-type", "PSQLException").out()).contains(old).doesNotContain(recent);
        assertThat(mqctl("dlq", "list", "--older-than", "1d").out()).contains(old).doesNotContain(recent);
        assertThat(mqctl("dlq", "list", "--newer-than", "1h").out()).contains(recent).doesNotContain(old);
        assertThat(mqctl("dlq", "list", "--limit", "1").out()).contains(old).doesNotContain(recent);
    }

    /** What the dead-letter queue holds, head first, as {@code mqctl dlq list} shows it; asserts the listing succeeded. */
    private List<String> listed() throws Exception {
        Result list = mqctl("dlq", "list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> ids = new ArrayList<>();
        JSON.readTree(list.out()).forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private List<String> deadLetters(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient"));
        }
        return ids;
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void inspectingNeitherReordersNorLosesDeadLetters(QueueType type) throws Exception {
        declareTopology(type);
        List<String> ids = deadLetters(30);

        for (int round = 0; round < 4; round++) {
            assertThat(listed()).as("listing " + round).containsExactlyElementsOf(ids);
            assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).as("after listing " + round)
                    .isEqualTo(ids.size());
            assertThat(mqctl("dlq", "list", "--limit", "2").out()).contains(ids.get(0), ids.get(1)).doesNotContain(ids.get(2));
            assertThat(mqctl("dlq", "show", ids.get(20)).exitCode()).isZero();
            assertThat(mqctl("dlq", "stats").exitCode()).isZero();
        }

        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactlyElementsOf(ids);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void listingsWhileAConsumerHoldsTheHeadShowTheRestInOrderAndLoseNothing(QueueType type) throws Exception {
        declareTopology(type);
        List<String> ids = deadLetters(30);
        List<String> rest = ids.subList(1, ids.size());
        BlockingQueue<String> held = new LinkedBlockingQueue<>();
        Channel holder = connection.createChannel();
        holder.basicQos(1);
        holder.basicConsume(Topology.DEAD_LETTER_QUEUE, false, (tag, delivery) -> held.add(delivery.getProperties().getMessageId()),
                tag -> {
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.get(0).equals(held.peek())
                && DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == rest.size());

        for (int round = 0; round < 4; round++) {
            assertThat(listed()).as("listing " + round).containsExactlyElementsOf(rest);
            assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).as("after listing " + round)
                    .isEqualTo(rest.size());
            assertThat(held).as("the consumer holds only the head").containsExactly(ids.get(0));
        }
        holder.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == ids.size());

        List<String> after = idsIn(Topology.DEAD_LETTER_QUEUE);
        if (type == QueueType.CLASSIC) {
            assertThat(after).containsExactlyElementsOf(ids);
        } else {
            // A quorum queue puts what a closed channel held behind the messages returned before (mqctl's).
            List<String> expected = new ArrayList<>(rest);
            expected.add(ids.get(0));
            assertThat(after).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void inspectionReenqueuesDeadLettersCloseToTheDeliveryLimitInsteadOfLosingThem() throws Exception {
        // A quorum dead-letter queue with a delivery limit (RabbitMQ 4.0+ sets 20 by default): each inspection
        // returns the messages and counts a delivery; past the limit the queue would drop them.
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(Topology.DEAD_LETTER_EXCHANGE, "topic", true);
            channel.queueDeclare(Topology.DEAD_LETTER_QUEUE, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-delivery-limit", 3L));
            channel.queueBind(Topology.DEAD_LETTER_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "#");
        }
        String first = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");
        String second = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");

        for (int round = 0; round < 8; round++) {
            Result list = mqctl("dlq", "list");
            assertThat(list.out()).as("round " + round + "\n" + list).contains(first, second);
        }

        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void showPrintsEverythingWithSecretsRedacted() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String id = letters.fromWorker(Topology.BOT_ACTION_QUEUE, "processing-failed", "transient", "java.io.IOException",
                "POST https://api.x.com failed: Authorization: Bearer abc.def.ghi password=hunter2", Duration.ofMinutes(1),
                "{\"schemaVersion\":1,\"botId\":\"b\",\"access_token\":\"tok-123\",\"text\":\"hi\"}");

        Result text = mqctl("dlq", "show", id);
        Result json = mqctl("dlq", "show", id, "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("dead letter " + id + " (position 1 of 1)", "originalQueue", "bot_action_queue",
                "correlation-id", "corr-" + id, "x-custom", "kept", FailureHeaders.HISTORY, "class=transient", "\"botId\"",
                "[REDACTED]").doesNotContain("hunter2", "abc.def.ghi", "tok-123");
        JsonNode shown = JSON.readTree(json.out()).get(0);
        assertThat(shown.path("headers").path(FailureHeaders.ATTEMPTS).asLong()).isEqualTo(3);
        assertThat(shown.path("body").path("access_token").asText()).isEqualTo("[REDACTED]");
        assertThat(json.out()).doesNotContain("hunter2", "tok-123");

        Result missing = mqctl("dlq", "show", "no-such-id");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("no dead letter with id no-such-id");
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isEqualTo(1);
    }

    @Test
    void replayKeepsBodyPropertiesAndHeadersButTheFailureHeadersAndRecordsTheReplay() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String keep = letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent");
        String replayed = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");
        String after = letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent");
        GetResponse before = peek(replayed);

        Result result = mqctl("dlq", "replay", replayed);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("replayed " + replayed + " log_queue -> log_queue", "replayed 1 dead letter(s)");
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(keep, after);
        List<GetResponse> arrived = drain(Topology.LOG_QUEUE);
        assertThat(arrived).hasSize(1);
        GetResponse message = arrived.get(0);
        assertThat(message.getBody()).isEqualTo(before.getBody());
        assertThat(message.getProps().getMessageId()).isEqualTo(replayed);
        assertThat(message.getProps().getCorrelationId()).isEqualTo("corr-" + replayed);
        assertThat(message.getProps().getAppId()).isEqualTo("test-app");
        assertThat(message.getProps().getContentType()).isEqualTo("application/json");
        assertThat(message.getProps().getTimestamp()).isEqualTo(before.getProps().getTimestamp());
        assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
        Map<String, Object> headers = message.getProps().getHeaders();
        assertThat(headers.get("x-custom")).hasToString("kept");
        assertThat(headers.keySet()).filteredOn(h -> h.startsWith("x-vs-")).containsExactly(FailureHeaders.HISTORY);
        List<?> history = (List<?>) headers.get(FailureHeaders.HISTORY);
        assertThat(history).hasSize(2);
        assertThat(((Map<?, ?>) history.get(0)).get("class")).hasToString("transient");
        Map<?, ?> replay = (Map<?, ?>) history.get(1);
        assertThat(replay.get("class")).hasToString("replay");
        assertThat(replay.get("reason")).hasToString("replayed to log_queue");
        assertThat(replay.get("worker").toString()).startsWith("mqctl@");
    }

    @Test
    void replayOfABrokerDeadLetterDropsItsDeathHeadersAndRecordsIt() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String id = letters.fromBroker();
        assertThat(peek(id).getProps().getHeaders()).containsKeys("x-death", "x-first-death-queue");

        Result result = mqctl("dlq", "replay", "--class", "broker");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        GetResponse message = drain(Topology.LOG_QUEUE).get(0);
        Map<String, Object> headers = message.getProps().getHeaders();
        assertThat(headers.keySet()).containsExactlyInAnyOrder("x-custom", FailureHeaders.HISTORY);
        List<?> history = (List<?>) headers.get(FailureHeaders.HISTORY);
        assertThat(history).extracting(e -> ((Map<?, ?>) e).get("class").toString()).containsExactly("broker", "replay");
        assertThat(((Map<?, ?>) history.get(0)).get("reason")).hasToString("rejected");
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    @Test
    void replayByFilterToAnotherQueueWithDryRunFirst() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String a = letters.fromWorker(Topology.LOG_PRIORITY_QUEUE, "processing-failed", "transient");
        String other = letters.fromWorker(Topology.LOG_PRIORITY_QUEUE, "schema-invalid", "permanent");
        String b = letters.fromWorker(Topology.LOG_PRIORITY_QUEUE, "processing-failed", "transient");

        Result dryRun = mqctl("dlq", "replay", "--reason", "processing-failed", "--to", Topology.LOG_QUEUE, "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("would replay " + a + " log_priority_queue -> log_queue",
                "would replay " + b, "would replay 2 dead letter(s)").doesNotContain(other);
        assertThat(DeadLetters.ready(connection, Topology.LOG_QUEUE)).isZero();

        Result result = mqctl("dlq", "replay", "--reason", "processing-failed", "--to", Topology.LOG_QUEUE, "--rate", "20");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(idsIn(Topology.LOG_QUEUE)).containsExactly(a, b);
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(other);
    }

    @Test
    void replayWithoutAKnownOriginOrToAMissingQueueLeavesTheDeadLetter() throws Exception {
        declareTopology(QueueType.CLASSIC);
        publish(Topology.DEAD_LETTER_EXCHANGE, "x", properties("by-hand", Map.of()), "{}");
        String id = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");

        Result unknown = mqctl("dlq", "replay", "by-hand");
        Result missing = mqctl("dlq", "replay", id, "--to", "no_such_queue");
        Result nothing = mqctl("dlq", "replay");

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.err()).contains("skipped by-hand: its original queue is unknown (use --to)");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(missing.err()).contains("replay of " + id + " to no_such_queue failed, it stays in dead_letter_queue",
                "unroutable");
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err()).contains("choose the dead letters");
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly("by-hand", id);
    }

    @Test
    void replayAndPurgeOfUnknownIdsExitWith5NamingThemAndLeaveTheQueueAsItWas() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String id = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");

        Result replay = mqctl("dlq", "replay", "no-such-id");
        Result dryRun = mqctl("dlq", "replay", "no-such-id", "--dry-run");
        Result purge = mqctl("dlq", "purge", "no-such-id", "other-id", "--yes");

        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(replay.err()).contains("mqctl: no dead letter with id no-such-id among the 1 in dead_letter_queue");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(dryRun.err()).contains("no dead letter with id no-such-id");
        assertThat(purge.exitCode()).as(purge.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(purge.err()).contains("mqctl: no dead letter with id no-such-id, other-id among the 1 in dead_letter_queue");
        assertThat(DeadLetters.ready(connection, Topology.LOG_QUEUE)).isZero();
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(id);
    }

    @Test
    void replayAndPurgeActOnTheKnownIdsOfAMixAndExitWith5NamingTheUnknown() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String replayed = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");
        String purged = letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent");
        String kept = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");

        Result replay = mqctl("dlq", "replay", replayed, "no-such-id", "--limit", "1");
        Result purge = mqctl("dlq", "purge", "gone-id", purged, "--yes");

        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(replay.out()).contains("replayed 1 dead letter(s)");
        assertThat(replay.err()).contains("mqctl: no dead letter with id no-such-id among the 3").doesNotContain(replayed);
        assertThat(purge.exitCode()).as(purge.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(purge.out()).contains("purged 1 dead letter(s)");
        assertThat(purge.err()).contains("mqctl: no dead letter with id gone-id among the 2").doesNotContain(purged);
        assertThat(idsIn(Topology.LOG_QUEUE)).containsExactly(replayed);
        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(kept);
    }

    @Test
    void purgeAsksUnlessYesAndRemovesOnlyTheSelection() throws Exception {
        declareTopology(QueueType.CLASSIC);
        String bad = letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent");
        String keep = letters.fromWorker(Topology.LOG_QUEUE, "processing-failed", "transient");
        String bad2 = letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent");

        Result declined = withStdin("n\n", () -> mqctl("dlq", "purge", "--reason", "schema-invalid"));
        assertThat(declined.exitCode()).as(declined.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(declined.err()).contains("Purge 2 of the 3 dead letter(s) in dead_letter_queue for good?");
        assertThat(declined.out()).contains("nothing purged");
        assertThat(mqctl("dlq", "purge", "--reason", "schema-invalid", "--dry-run").out()).contains("would purge 2");
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isEqualTo(3);

        Result confirmed = withStdin("yes\n", () -> mqctl("dlq", "purge", bad));
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        Result yes = mqctl("dlq", "purge", "--reason", "schema-invalid", "--yes");
        assertThat(yes.out()).contains("purged 1 dead letter(s)");

        assertThat(idsIn(Topology.DEAD_LETTER_QUEUE)).containsExactly(keep);
        assertThat(bad2).isNotEqualTo(keep);
    }

    @Test
    void statsGroupsByQueueReasonClassAndErrorType() throws Exception {
        declareTopology(QueueType.CLASSIC);
        for (int i = 0; i < 3; i++) {
            letters.fromWorker(Topology.BOT_ACTION_QUEUE, "processing-failed", "transient");
        }
        letters.fromWorker(Topology.LOG_QUEUE, "schema-invalid", "permanent", "InvalidMessage", "x", Duration.ofHours(2), null);
        letters.fromBroker();

        Result text = mqctl("dlq", "stats");
        JsonNode json = JSON.readTree(mqctl("dlq", "stats", "--json").out());

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("dead_letter_queue: 5 dead letter(s), oldest 2h0m")
                .containsPattern("bot_action_queue +processing-failed +transient +java.io.IOException +3")
                .contains("by queue:  bot_action_queue 3, log_queue 2", "by class:  transient 3");
        assertThat(json.path("total").asInt()).isEqualTo(5);
        assertThat(json.path("groups").get(0).path("count").asInt()).isEqualTo(3);
        assertThat(json.path("byReason").path("rejected").asInt()).isEqualTo(1);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isEqualTo(5);
    }

    private GetResponse peek(String id) throws Exception {
        try (Channel channel = connection.createChannel()) {
            GetResponse response;
            while ((response = channel.basicGet(Topology.DEAD_LETTER_QUEUE, false)) != null) {
                if (id.equals(response.getProps().getMessageId())) {
                    return response;
                }
            }
        }
        throw new AssertionError("no dead letter " + id);
    }

    private static Result withStdin(String input, java.util.function.Supplier<Result> command) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(original);
        }
    }
}
