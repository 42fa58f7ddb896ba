package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.OnFreshVhost;

/**
 * What the broker does with messages handed back unacknowledged, which {@code DeadLetterScan} is built on
 * (mq-cli/README.md, "Inspection takes nothing away and keeps the order"): when a RabbitMQ upgrade changes it,
 * this fails before mqctl's own tests do.
 */
class BrokerReturnOrderIT extends OnFreshVhost {

    private static final String QUEUE = "return-order";
    private static final int MESSAGES = 100;

    private List<String> fill(String type) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, Map.of("x-queue-type", type));
            channel.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                String id = String.format("m%03d", i);
                channel.basicPublish("", QUEUE, new AMQP.BasicProperties.Builder().messageId(id).build(), new byte[0]);
                ids.add(id);
            }
            channel.waitForConfirmsOrDie(5_000);
        }
        return ids;
    }

    /** Reads every message with one consumer and no ack, then closes the channel, as a dead-letter scan does. */
    private List<String> readByOneConsumerThenClose() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            int count = channel.queueDeclarePassive(QUEUE).getMessageCount();
            BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
            channel.basicQos(count);
            channel.basicConsume(QUEUE, false, (tag, delivery) -> delivered.add(delivery.getProperties().getMessageId()),
                    tag -> {
                    });
            for (int i = 0; i < count; i++) {
                ids.add(delivered.poll(10, TimeUnit.SECONDS));
            }
        }
        awaitReady(ids.size());
        return ids;
    }

    /** Reads every message with {@code basic.get} and no ack, then closes the channel, as mqctl did before. */
    private List<String> readByGetThenClose() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            GetResponse response;
            while (ids.size() < MESSAGES && (response = channel.basicGet(QUEUE, false)) != null) {
                ids.add(response.getProps().getMessageId());
            }
        }
        awaitReady(ids.size());
        return ids;
    }

    private void awaitReady(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> DeadLetters.ready(connection, QUEUE) == count);
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "quorum" })
    void oneConsumerClosingItsChannelHandsEverythingBackInOrder(String type) throws Exception {
        List<String> ids = fill(type);

        for (int round = 0; round < 5; round++) {
            assertThat(readByOneConsumerThenClose()).as(type + " round " + round).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void aQuorumQueueHandsBasicGetsBackOutOfOrderWhenTheChannelCloses() throws Exception {
        List<String> ids = fill("quorum");

        assertThat(readByGetThenClose()).containsExactlyElementsOf(ids);
        List<String> second = readByGetThenClose();

        assertThat(second).containsExactlyInAnyOrderElementsOf(ids).isNotEqualTo(ids);
    }
}
