package com.vivesphere.mq.runtime.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

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

    @Test
    void inOrderSettlementBecomesOneMultipleAckPerBatch() throws Exception {
        AckBatcher batcher = new AckBatcher(channel, 100);
        for (long tag = 1; tag <= 250; tag++) {
            batcher.delivered(tag);
            batcher.ack(tag);
        }
        batcher.flush();

        assertThat(sent).containsExactly("ack 100 multiple", "ack 200 multiple", "ack 250 multiple");
    }

    @Test
    void aStuckDeliveryDoesNotHoldBackTheOthersAndIsAckedWhenItSettles() throws Exception {
        AckBatcher batcher = new AckBatcher(channel, 1_000);
        for (long tag = 1; tag <= 5_000; tag++) {
            batcher.delivered(tag); // the window outgrows the first ring
        }
        for (long tag = 2; tag <= 5_000; tag++) {
            batcher.ack(tag);
        }
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
        AckBatcher batcher = new AckBatcher(channel, 10);
        batcher.delivered(1);
        batcher.delivered(2);
        batcher.reject(2, false);
        batcher.reject(2, false);
        batcher.reset();
        batcher.ack(1);
        batcher.flush();

        assertThat(sent).containsExactly("reject 2");
    }
}
