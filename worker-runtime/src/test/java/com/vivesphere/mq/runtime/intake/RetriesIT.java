package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.failure.Failure;
import com.vivesphere.mq.common.failure.FailureClass;
import com.vivesphere.mq.common.failure.FailureHeaders;
import com.vivesphere.mq.common.failure.NotDueYet;
import com.vivesphere.mq.common.failure.ProcessingFailure;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnFreshVhost;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;
import com.vivesphere.mq.common.topology.TopologySettings;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Retries, throttling, deferral and dead letters of the {@link Intake}, on the real broker, for both queue types. */
class RetriesIT extends OnFreshVhost {

    private static final String QUEUE = Topology.BOT_ACTION_QUEUE;
    /** Hops through the delay levels and the test's polling add this much to a delay at most. */
    private static final Duration SLACK = Duration.ofMillis(1_500);

    private final List<Instant> calls = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private IntakeConsumer consumer;

    @AfterEach
    void stopConsumer() throws Exception {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Declares the topology, publishes one action and consumes it through an intake with {@code policy}. */
    private void run(QueueType type, RetryPolicy policy, Function<Integer, CompletionStage<Void>> outcomeOfCall)
            throws Exception {
        TopologySettings settings = new TopologySettings(type, Duration.ofDays(7), Duration.ofDays(14), 1L << 30);
        TopologyDeclarer.declare(connection, Topology.standard(settings));
        ConfirmingPublisher publisher = new ConfirmingPublisher();
        publisher.open(connection);
        Intake<BotAction> intake = Intake.forQueue(QUEUE, BotAction.class, BotAction::dueSince, 65_536, policy, registry,
                new FailureRouter(publisher, "test-host", "test/1"));
        publishAction();
        consumer = new IntakeConsumer(connection, QUEUE, intake, action -> {
            calls.add(Instant.now());
            return outcomeOfCall.apply(calls.size());
        });
    }

    private void publishAction() throws IOException {
        try (MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(5))) {
            publisher.publishRaw(Topology.BOT_ACTION_EXCHANGE, "like.bot-1", MessagePublisher.properties("m-1", "BotAction"),
                    SampleMessages.likeAction(UUID.randomUUID(), "bot-1").getBytes(StandardCharsets.UTF_8));
            publisher.awaitConfirms();
        }
    }

    private static RetryPolicy policy(int maxAttempts, Duration initialDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, Duration.ofSeconds(30), 2, 5);
    }

    private static CompletionStage<Void> ok() {
        return CompletableFuture.completedFuture(null);
    }

    private static CompletionStage<Void> fail(RuntimeException e) {
        return CompletableFuture.failedFuture(e);
    }

    private Duration gap(int call) {
        return Duration.between(calls.get(call - 2), calls.get(call - 1));
    }

    private void assertSettledWithoutFurtherCalls(int expectedCalls) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> calls.size() == expectedCalls);
    }

    private long retried(FailureClass failureClass) {
        return (long) registry.get("vivesphere.messages.retried").tag("class", failureClass.code()).counter().count();
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aHandlerFailingTransientlyTwiceIsProcessedOnceAfterTwoBackedOffRetries(QueueType type) throws Exception {
        run(type, policy(5, Duration.ofSeconds(2)),
                call -> call <= 2 ? fail(new IllegalStateException("X answered 503")) : ok());

        await().atMost(Duration.ofSeconds(15)).until(() -> calls.size() == 3);
        assertSettledWithoutFurtherCalls(3);
        // Full jitter over [0, cap], at least 1 s: cap 2 s after the first failure, 4 s after the second.
        assertThat(gap(2)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2).plus(SLACK));
        assertThat(gap(3)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(4).plus(SLACK));
        assertThat(consumer.headersSeen.get(2)).containsEntry(FailureHeaders.ATTEMPTS, 2L);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
        assertThat(retried(FailureClass.TRANSIENT)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aMessageThatKeepsFailingIsDeadLetteredOnceAfterExactlyItsBudgetWithEveryHeader(QueueType type) throws Exception {
        run(type, policy(3, Duration.ofSeconds(1)),
                call -> fail(new IllegalStateException("call " + call + " failed with access_token=abc123")));

        await().atMost(Duration.ofSeconds(15)).until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == 1);
        assertSettledWithoutFurtherCalls(3);
        Map<String, Object> headers = takeDeadLetterHeaders();
        assertThat(text(headers, FailureHeaders.REASON)).isEqualTo("processing-failed");
        assertThat(text(headers, FailureHeaders.FAILURE_CLASS)).isEqualTo("transient");
        assertThat(text(headers, FailureHeaders.ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
        assertThat(text(headers, FailureHeaders.ERROR_MESSAGE)).isEqualTo("call 3 failed with access_token=[REDACTED]");
        assertThat(headers.get(FailureHeaders.ATTEMPTS)).isEqualTo(3L);
        assertThat(text(headers, FailureHeaders.ORIGINAL_EXCHANGE)).isEqualTo(Topology.BOT_ACTION_EXCHANGE);
        assertThat(text(headers, FailureHeaders.ORIGINAL_ROUTING_KEY)).isEqualTo("like.bot-1");
        assertThat(text(headers, FailureHeaders.ORIGINAL_QUEUE)).isEqualTo(QUEUE);
        assertThat(text(headers, FailureHeaders.WORKER_HOST)).isEqualTo("test-host");
        assertThat(text(headers, FailureHeaders.WORKER_VERSION)).isEqualTo("test/1");
        Instant first = Instant.parse(text(headers, FailureHeaders.FIRST_FAILURE_AT));
        Instant last = Instant.parse(text(headers, FailureHeaders.LAST_FAILURE_AT));
        assertThat(Duration.between(first, last)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        List<?> history = (List<?>) headers.get(FailureHeaders.HISTORY);
        assertThat(history).hasSize(3).allSatisfy(entry -> assertThat(((Map<?, ?>) entry).get("class").toString()).isEqualTo("transient"));
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aPermanentFailureIsDeadLetteredAtOnceWithItsReason(QueueType type) throws Exception {
        run(type, policy(5, Duration.ofSeconds(1)),
                call -> fail(ProcessingFailure.permanent("x-rejected", "http-400", "Invalid Request: tweet id")));

        await().atMost(Duration.ofSeconds(5)).until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == 1);
        assertSettledWithoutFurtherCalls(1);
        Map<String, Object> headers = takeDeadLetterHeaders();
        assertThat(text(headers, FailureHeaders.REASON)).isEqualTo("x-rejected");
        assertThat(text(headers, FailureHeaders.FAILURE_CLASS)).isEqualTo("permanent");
        assertThat(text(headers, FailureHeaders.ERROR_TYPE)).isEqualTo("http-400");
        assertThat(headers.get(FailureHeaders.ATTEMPTS)).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void anExpiredMessageIsDeadLetteredAsExpired(QueueType type) throws Exception {
        run(type, policy(5, Duration.ofSeconds(1)), call -> fail(ProcessingFailure.expired("expiresAt passed")));

        await().atMost(Duration.ofSeconds(5)).until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) == 1);
        Map<String, Object> headers = takeDeadLetterHeaders();
        assertThat(text(headers, FailureHeaders.REASON)).isEqualTo("expired");
        assertThat(text(headers, FailureHeaders.FAILURE_CLASS)).isEqualTo("expired");
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void throttledFailuresAreRetriedAtTheNamedTimeOutsideTheAttemptBudget(QueueType type) throws Exception {
        List<Instant> retryAt = new ArrayList<>();
        // One attempt only: a transient failure would be dead-lettered at once, a throttled one is not.
        run(type, policy(1, Duration.ofSeconds(1)), call -> {
            if (call <= 2) {
                Instant at = Instant.now().plusSeconds(3);
                retryAt.add(at);
                return fail(ProcessingFailure.throttled("rate-limited", at, "429 Too Many Requests"));
            }
            return ok();
        });

        await().atMost(Duration.ofSeconds(15)).until(() -> calls.size() == 3);
        assertSettledWithoutFurtherCalls(3);
        assertThat(calls.get(1)).isBetween(retryAt.get(0), retryAt.get(0).plus(SLACK));
        assertThat(calls.get(2)).isBetween(retryAt.get(1), retryAt.get(1).plus(SLACK));
        assertThat(consumer.headersSeen.get(2)).containsEntry(FailureHeaders.THROTTLED, 2L)
                .containsEntry(FailureHeaders.ATTEMPTS, 0L);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
        assertThat(retried(FailureClass.THROTTLED)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aMessageNotDueYetComesBackWhenDueWithoutCountingAnAttempt(QueueType type) throws Exception {
        List<Instant> dueAt = new ArrayList<>();
        run(type, policy(1, Duration.ofSeconds(1)), call -> {
            if (call == 1) {
                dueAt.add(Instant.now().plusSeconds(3));
                return fail(new NotDueYet(dueAt.get(0)));
            }
            return ok();
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2);
        assertSettledWithoutFurtherCalls(2);
        assertThat(calls.get(1)).isBetween(dueAt.get(0), dueAt.get(0).plus(SLACK));
        assertThat(consumer.headersSeen.get(1)).doesNotContainKey(FailureHeaders.ATTEMPTS);
        assertThat(text(consumer.headersSeen.get(1), FailureHeaders.ORIGINAL_ROUTING_KEY)).isEqualTo("like.bot-1");
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aRedeliveredMessageCountsAsAnAttemptSoAPoisonMessageCannotLoop(QueueType type) throws Exception {
        TopologySettings settings = new TopologySettings(type, Duration.ofDays(7), Duration.ofDays(14), 1L << 30);
        TopologyDeclarer.declare(connection, Topology.standard(settings));
        publishAction();
        // A worker takes the message and dies before settling it: the broker redelivers it.
        Channel crashed = connection.createChannel();
        await().until(() -> crashed.basicGet(QUEUE, false) != null);
        crashed.abort();

        run(type, policy(1, Duration.ofSeconds(1)), call -> ok());

        await().atMost(Duration.ofSeconds(5)).until(() -> DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE) >= 1);
        // The test published a second message in run(); it is processed, the redelivered one is not.
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 1);
        Map<String, Object> headers = takeDeadLetterHeaders();
        assertThat(text(headers, FailureHeaders.REASON)).isEqualTo(Failure.REDELIVERED);
        assertThat(headers.get(FailureHeaders.ATTEMPTS)).isEqualTo(1L);
        assertThat(DeadLetters.ready(connection, Topology.DEAD_LETTER_QUEUE)).isZero();
    }

    private Map<String, Object> takeDeadLetterHeaders() throws Exception {
        try (Channel channel = connection.createChannel()) {
            GetResponse response = channel.basicGet(Topology.DEAD_LETTER_QUEUE, true);
            assertThat(response).as("a dead letter").isNotNull();
            assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).contains("\"botId\":\"bot-1\"");
            return response.getProps().getHeaders();
        }
    }

    private static String text(Map<String, Object> headers, String name) {
        return String.valueOf(headers.get(name));
    }
}
