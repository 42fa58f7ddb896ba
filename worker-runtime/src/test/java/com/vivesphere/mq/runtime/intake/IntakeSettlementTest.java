package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.runtime.rabbitmq.ClientDelivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/** What the intake does with a message when the broker cannot take its retry or dead-letter copy. */
class IntakeSettlementTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Never opened: every publish fails as if the channel were lost. */
    private final Intake<BotAction> intake = Intake.forQueue(Topology.BOT_ACTION_QUEUE, BotAction.class, BotAction::dueSince,
            65_536, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3), registry,
            new FailureRouter(new ConfirmingPublisher(), "test-host", "test/1"));
    /** Whether the channel the test's deliveries came on is open. */
    private final AtomicBoolean channelOpen = new AtomicBoolean(true);

    private record Settlement(String outcome, Metadata metadata) {
    }

    private final CompletableFuture<Settlement> settlement = new CompletableFuture<>();

    private Message<byte[]> message(String body) {
        ClientDelivery delivery = new ClientDelivery(Topology.BOT_ACTION_QUEUE, Topology.BOT_ACTION_EXCHANGE, "like.bot-1", false,
                new AMQP.BasicProperties.Builder().contentType("application/json").build(), channelOpen::get);
        return Message.of(body.getBytes(StandardCharsets.UTF_8), List.of(delivery),
                m -> complete("ack", m),
                (reason, m) -> complete("nack", m));
    }

    private CompletionStage<Void> complete(String outcome, Metadata metadata) {
        settlement.complete(new Settlement(outcome, metadata));
        return CompletableFuture.completedFuture(null);
    }

    private Settlement settle(String body, RuntimeException failure) throws Exception {
        intake.settle(message(body), action -> CompletableFuture.failedFuture(failure)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        return settlement.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRetryThatCannotBePublishedPutsTheOriginalBackInItsQueue() throws Exception {
        Settlement result = settle(SampleMessages.likeAction(UUID.randomUUID(), "bot-1"), new IllegalStateException("boom"));

        assertThat(result.outcome()).isEqualTo("nack");
        assertThat(result.metadata().get(RabbitMQRejectMetadata.class)).hasValueSatisfying(reject -> assertThat(reject.isRequeue()).isTrue());
    }

    @Test
    void aMessageWhoseChannelClosedWhileItWasProcessedIsNeitherSettledNorCopied() throws Exception {
        CompletableFuture<Void> processing = new CompletableFuture<>();
        CompletionStage<Void> settled = intake.settle(message(SampleMessages.likeAction(UUID.randomUUID(), "bot-1")),
                action -> processing);
        channelOpen.set(false); // the broker's consumer_timeout closed it: the broker delivers the message again
        processing.completeExceptionally(new IllegalStateException("X answered too late"));

        settled.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(settlement).as("ack or nack").isNotDone();
        assertThat(registry.get("vivesphere.messages.abandoned").counter().count()).isEqualTo(1);
        // no retry copy was attempted: the failure router's publisher is never opened, a copy would have failed into a nack
        assertThat(registry.find("vivesphere.messages.retried").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void aDeadLetterThatCannotBePublishedIsRejectedToTheQueuesOwnDeadLetterExchange() throws Exception {
        Settlement result = settle("{not json", new IllegalStateException("unused"));

        assertThat(result.outcome()).isEqualTo("nack");
        assertThat(result.metadata().get(RabbitMQRejectMetadata.class).map(RabbitMQRejectMetadata::isRequeue)).isNotEqualTo(Optional.of(true));
    }

    @Test
    void theSubscriberRejectsAMessageItCannotReadAndGoesOnWithTheNext() throws Exception {
        List<Long> requested = new ArrayList<>();
        Flow.Subscriber<Message<byte[]>> subscriber = intake.subscriber(action -> CompletableFuture.completedFuture(null));
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.add(n);
            }

            @Override
            public void cancel() {
                throw new AssertionError("the stream must not be cancelled");
            }
        });
        CompletableFuture<Throwable> rejected = new CompletableFuture<>();
        Message<byte[]> unreadable = new Message<>() {
            @Override
            public byte[] getPayload() {
                throw new IllegalStateException("payload unreadable");
            }

            @Override
            public CompletionStage<Void> nack(Throwable reason, Metadata metadata) {
                rejected.complete(reason);
                return CompletableFuture.completedFuture(null);
            }
        };

        subscriber.onNext(unreadable);
        subscriber.onNext(message(SampleMessages.likeAction(UUID.randomUUID(), "bot-1")));

        assertThat(requested).containsExactly(Long.MAX_VALUE); // the broker's prefetch is the bound
        assertThat(rejected.get(5, TimeUnit.SECONDS)).hasMessage("payload unreadable");
        assertThat(settlement.get(5, TimeUnit.SECONDS).outcome()).isEqualTo("ack");
    }
}
