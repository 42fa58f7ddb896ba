package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.rabbitmq.client.Channel;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.testing.BrokerAdmin;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnFreshVhost;
import com.vivesphere.mq.testing.DocSnippets;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologyDeclarer;
import com.vivesphere.mq.common.topology.TopologySettings;

/** Delayed delivery through the delay levels on the real broker, for both queue types. */
class DelayedDeliveryIT extends OnFreshVhost {

    private static final String QUEUE = Topology.BOT_ACTION_QUEUE;
    private static final Duration ON_TIME = Duration.ofSeconds(2);

    private final List<Instant> arrivals = new CopyOnWriteArrayList<>();

    private void declare(QueueType type) throws Exception {
        TopologySettings settings = new TopologySettings(type, Duration.ofDays(7), Duration.ofDays(14), 1L << 30);
        TopologyDeclarer.declare(connection, Topology.standard(settings));
    }

    private void recordArrivals() throws Exception {
        Channel channel = connection.createChannel();
        channel.basicConsume(QUEUE, true, (tag, delivery) -> arrivals.add(Instant.now()), tag -> {
        });
    }

    private ConfirmingPublisher publisher() throws Exception {
        ConfirmingPublisher publisher = new ConfirmingPublisher();
        publisher.open(connection);
        return publisher;
    }

    private static byte[] body() {
        return SampleMessages.likeAction(UUID.randomUUID(), "bot-1").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aMessageScheduledFiveSecondsAheadArrivesWithinTwoSecondsAfterAndNotBefore(QueueType type) throws Exception {
        declare(type);
        recordArrivals();
        Instant sent = Instant.now();
        publisher().publishDelayed(QUEUE, Duration.ofSeconds(5), MessagePublisher.properties("m-1", BotAction.MESSAGE_TYPE),
                body()).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> !arrivals.isEmpty());
        assertThat(Duration.between(sent, arrivals.get(0))).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(5).plus(ON_TIME));
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aMessagePublishedForAnInstantArrivesAtThatInstant(QueueType type) throws Exception {
        declare(type);
        recordArrivals();
        Instant at = Instant.now().plusMillis(3_500);
        BotAction action = new MessageCodec().decoderFor(BotAction.class).decode(body());
        try (MessagePublisher publisher = new MessagePublisher(connection, Duration.ofSeconds(5))) {
            publisher.publishAt(action, at);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !arrivals.isEmpty());
        assertThat(arrivals.get(0)).isBetween(at, at.plus(ON_TIME));
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void eachDelayWaitsInTheLevelsOfItsBits(QueueType type) throws Exception {
        declare(type);
        ConfirmingPublisher publisher = publisher();
        Instant sent = Instant.now();
        for (int seconds : new int[] {65, 3, 1}) {
            publisher.publishDelayed(QUEUE, Duration.ofSeconds(seconds), MessagePublisher.properties("m-" + seconds, "test"),
                    body()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        // 65 = 2^6 + 2^0 waits in level 6 first; 3 = 2^1 + 2^0 in level 1; 1 = 2^0 in level 0.
        assertThat(levels()).isEqualTo(Map.of(6, 1L, 1, 1L, 0, 1L));
        assertThat(DeadLetters.ready(connection, QUEUE)).isZero();

        // After 1 s the 1-s message is delivered; after 2 s the 3-s message moves to level 0, and is delivered at 3 s.
        await().atMost(Duration.ofSeconds(4)).until(() -> DeadLetters.ready(connection, QUEUE) == 1);
        await().atMost(Duration.ofSeconds(4)).until(() -> levels().equals(Map.of(6, 1L, 0, 1L)));
        assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(4)).until(() -> DeadLetters.ready(connection, QUEUE) == 2);
        assertThat(levels()).isEqualTo(Map.of(6, 1L));
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void theDocumentedPythonProducerDelaysThroughTheLevels(QueueType type) throws Exception {
        declare(type);
        Map<String, String> env = Map.of("RABBITMQ_HOST", BrokerAdmin.HOST, "RABBITMQ_PORT", String.valueOf(BrokerAdmin.PORT),
                "RABBITMQ_VHOST", vhost, "RABBITMQ_USERNAME", BrokerAdmin.USERNAME, "RABBITMQ_PASSWORD", BrokerAdmin.PASSWORD);

        String actionId = DocSnippets.runPython("python-delayed-action", env).trim();

        assertThat(UUID.fromString(actionId)).isNotNull();
        // 65 s: held in level 6 for 64 s, then level 0 for 1 s.
        assertThat(levels()).isEqualTo(Map.of(6, 1L));
    }

    /** Ready messages per non-empty delay level. */
    private Map<Integer, Long> levels() {
        return IntStream.range(0, DelayLevels.LEVELS).boxed()
                .map(n -> Map.entry(n, ready(DelayLevels.level(n))))
                .filter(e -> e.getValue() > 0)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private long ready(String queue) {
        try {
            return DeadLetters.ready(connection, queue);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
