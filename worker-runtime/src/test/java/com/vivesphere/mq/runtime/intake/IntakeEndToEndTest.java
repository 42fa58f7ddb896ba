package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.runtime.rabbitmq.ClientDelivery;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The intake hands the message's own time (here a bot action's creation or notBefore) to its end-to-end timer. */
class IntakeEndToEndTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Intake<BotAction> intake = Intake.forQueue(Topology.BOT_ACTION_QUEUE, BotAction.class, BotAction::dueSince,
            65_536, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3), registry,
            new FailureRouter(new ConfirmingPublisher(), "test-host", "test/1"));

    private void settle(String body, Instant created) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .timestamp(created == null ? null : Date.from(created)).build();
        ClientDelivery delivery = new ClientDelivery(Topology.BOT_ACTION_QUEUE, Topology.BOT_ACTION_EXCHANGE, "like.bot-1", false,
                properties, () -> true);
        Message<byte[]> message = Message.of(body.getBytes(StandardCharsets.UTF_8), List.of(delivery),
                m -> CompletableFuture.completedFuture(null), (reason, m) -> CompletableFuture.completedFuture(null));
        intake.settle(message, action -> CompletableFuture.completedFuture(null)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private Timer endToEnd() {
        return registry.get("vivesphere.message.end.to.end").tag("queue", Topology.BOT_ACTION_QUEUE).timer();
    }

    private static String like(String notBefore) {
        return """
                {"schemaVersion":1,"actionId":"%s","botId":"bot-1","type":"LIKE","targetPostId":"1"%s}"""
                .formatted(UUID.randomUUID(), notBefore == null ? "" : ",\"notBefore\":\"" + notBefore + "\"");
    }

    @Test
    void anAckedActionCountsFromItsCreation() throws Exception {
        settle(like(null), Instant.now().minusSeconds(60));

        assertThat(endToEnd().count()).isEqualTo(1);
        assertThat(endToEnd().totalTime(TimeUnit.SECONDS)).isBetween(60.0, 70.0);
    }

    @Test
    void aScheduledActionCountsFromItsNotBeforeWhenThatIsLater() throws Exception {
        settle(like(Instant.now().minusSeconds(10).toString()), Instant.now().minusSeconds(600));

        assertThat(endToEnd().totalTime(TimeUnit.SECONDS)).isBetween(10.0, 20.0);
    }

    @Test
    void anActionWithoutCreationOrNotBeforeRecordsNoEndToEndTime() throws Exception {
        settle(like(null), null);

        assertThat(endToEnd().count()).isZero();
        assertThat(registry.get("vivesphere.message.processing").timer().count()).isEqualTo(1);
    }
}
