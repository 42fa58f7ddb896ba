package com.vivesphere.mq.runtime.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;

/** The batcher's bookkeeping against a channel that records the acks it is asked to send. */
class AckBatcherTest {

    private final List<String> sent = new ArrayList<>();
    private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Channel.class },
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "basicAck" -> sent.add("ack " + args[0] + (Boolean.TRUE.equals(args[1]) ? " multiple" : ""));
                    case "basicReject" -> sent.add("reject " + args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });
    private final AtomicInteger frames = new AtomicInteger();
    private long now;

    private AckBatcher batcher(int batchSize, int maxHeld) {
        return new AckBatcher(channel, batchSize, maxHeld, Duration.ofMillis(100), frames::incrementAndGet, () -> now);
    }

    @Test
    void inOrderSettlementBecomesOneMultipleAckPerBatch() throws Exception {
        AckBatcher batcher = batcher(100, 500);
        for (long tag = 1; tag <= 250; tag++) {
            batcher.delivered(tag);
            batcher.ack(tag);
        }
        batcher.flush();

        assertThat(sent).containsExactly("ack 100 multiple", "ack 200 multiple", "ack 250 multiple");
        assertThat(frames).hasValue(3);
    }

    @Test
    void aBatchSettledBeforeTheOlderOneBesideItGoesOutInTheOlderOnesMultipleAck() throws Exception {
        AckBatcher batcher = batcher(250, 500);
        for (long tag = 1; tag <= 500; tag++) {
            batcher.delivered(tag);
        }
        for (long tag = 251; tag <= 500; tag++) {
            batcher.ack(tag);
        }
        batcher.flush();
        assertThat(sent).as("held behind delivery 1, still in flight").isEmpty();

        for (long tag = 1; tag <= 250; tag++) {
            batcher.ack(tag);
        }
        assertThat(sent).containsExactly("ack 500 multiple");
        assertThat(frames).hasValue(1);
    }

    @Test
    void moreHeldThanAllowedAreAckedOneByOne() throws Exception {
        AckBatcher batcher = batcher(10, 5);
        for (long tag = 1; tag <= 8; tag++) {
            batcher.delivered(tag);
        }
        for (long tag = 2; tag <= 6; tag++) {
            batcher.ack(tag);
        }
        batcher.flush();
        assertThat(sent).isEmpty();

        batcher.ack(7);
        batcher.flush();
        assertThat(sent).containsExactly("ack 2", "ack 3", "ack 4", "ack 5", "ack 6", "ack 7");
    }

    @Test
    void aStuckDeliveryHoldsBackTheOthersOnlyUntilTheHoldTimeAndIsAckedWhenItSettles() throws Exception {
        AckBatcher batcher = batcher(10_000, 10_000);
        for (long tag = 1; tag <= 5_000; tag++) {
            batcher.delivered(tag); // the window outgrows the first ring
        }
        for (long tag = 2; tag <= 5_000; tag++) {
            batcher.ack(tag);
        }
        batcher.flush();
        now += Duration.ofMillis(99).toNanos();
        batcher.flush();
        assertThat(sent).isEmpty();

        now += Duration.ofMillis(1).toNanos();
        batcher.flush();
        assertThat(sent).hasSize(4_999).doesNotContain("ack 1", "ack 1 multiple").allMatch(a -> !a.endsWith("multiple"));
        sent.clear();
        batcher.ack(1);
        batcher.flush();
        assertThat(sent).containsExactly("ack 1 multiple");

        sent.clear();
        batcher.delivered(5_001);
        batcher.ack(5_001);
        batcher.flush();
        assertThat(sent).containsExactly("ack 5001 multiple");
    }

    @Test
    void settlingTwiceOrAfterAResetSendsNothing() throws Exception {
        AckBatcher batcher = batcher(10, 10);
        batcher.delivered(1);
        batcher.delivered(2);
        batcher.reject(2, false);
        batcher.reject(2, false);
        batcher.reset();
        batcher.ack(1);
        batcher.flush();

        assertThat(sent).containsExactly("reject 2");
        assertThat(frames).hasValue(1);
    }

    @Test
    void flushAllSendsTheHeldAcksAtOnce() throws Exception {
        AckBatcher batcher = batcher(10, 10);
        for (long tag = 1; tag <= 3; tag++) {
            batcher.delivered(tag);
        }
        batcher.ack(3);
        batcher.flush();
        assertThat(sent).isEmpty();

        batcher.flushAll();
        assertThat(sent).containsExactly("ack 3");
    }
}
