package com.vivesphere.mq.runtime.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.testing.OnFreshVhost;

/** Batched acks against the real broker: exactly the settled deliveries are acked, nothing else. */
class AckBatcherIT extends OnFreshVhost {

    @BeforeEach
    void setUp() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare("rejected", true, false, false, null);
            channel.queueDeclare("work", true, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "rejected"));
            for (int i = 1; i <= 10; i++) {
                channel.basicPublish("", "work", null, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static AckBatcher batcher(Channel channel, int batchSize) {
        return new AckBatcher(channel, batchSize, batchSize, Duration.ofMillis(100), () -> { });
    }

    @Test
    void outOfOrderSettlementAcksExactlyTheSettledDeliveries() throws Exception {
        Channel channel = connection.createChannel();
        AckBatcher batcher = batcher(channel, 100);
        List<Long> tags = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            GetResponse response = channel.basicGet("work", false);
            tags.add(response.getEnvelope().getDeliveryTag());
            batcher.delivered(response.getEnvelope().getDeliveryTag());
        }

        batcher.ack(tags.get(0));
        batcher.ack(tags.get(1));
        batcher.ack(tags.get(2));
        batcher.reject(tags.get(3), false);
        // tags.get(4) stays in flight: at the final flush everything after it is acked one by one, not by a multiple ack.
        for (int i = 5; i < 10; i++) {
            batcher.ack(tags.get(i));
        }
        batcher.ack(tags.get(2)); // settling twice is ignored
        batcher.flushAll();
        channel.close(); // whatever is still unacked goes back to the queue

        try (Channel check = connection.createChannel()) {
            assertThat(check.queueDeclarePassive("work").getMessageCount()).isEqualTo(1);
            assertThat(new String(check.basicGet("work", true).getBody(), StandardCharsets.UTF_8)).isEqualTo("5");
            assertThat(new String(check.basicGet("rejected", true).getBody(), StandardCharsets.UTF_8)).isEqualTo("4");
        }
    }

    @Test
    void aFullBatchIsAckedWithoutWaitingForAFlush() throws Exception {
        Channel channel = connection.createChannel();
        AckBatcher batcher = batcher(channel, 4);
        for (int i = 1; i <= 4; i++) {
            long tag = channel.basicGet("work", false).getEnvelope().getDeliveryTag();
            batcher.delivered(tag);
            batcher.ack(tag);
        }
        channel.close();

        try (Channel check = connection.createChannel()) {
            assertThat(check.queueDeclarePassive("work").getMessageCount()).isEqualTo(6);
        }
    }

    @Test
    void awaitSettledReturnsOnceTheLastDeliveryIsSettledOrAtTheDeadline() throws Exception {
        Channel channel = connection.createChannel();
        AckBatcher batcher = batcher(channel, 100);
        List<Long> tags = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long tag = channel.basicGet("work", false).getEnvelope().getDeliveryTag();
            tags.add(tag);
            batcher.delivered(tag);
        }
        batcher.ack(tags.get(0));
        assertThat(batcher.awaitSettled(System.nanoTime() + 50_000_000L)).as("two still in flight").isFalse();
        assertThat(batcher.inFlight()).isEqualTo(2);

        // Settled from another thread, as the listener's completion does: the waiting one wakes up at once.
        Thread settler = new Thread(() -> {
            try {
                batcher.reject(tags.get(1), true);
                batcher.ack(tags.get(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long start = System.nanoTime();
        settler.start();
        assertThat(batcher.awaitSettled(System.nanoTime() + 10_000_000_000L)).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(batcher.inFlight()).isZero();
        settler.join();
        batcher.flush();
        channel.close();

        try (Channel check = connection.createChannel()) {
            // 10 published, 2 acked: the rejected one went back to the queue.
            assertThat(check.queueDeclarePassive("work").getMessageCount()).isEqualTo(8);
        }
    }
}
