package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.publish.ConfirmingPublisher;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.runtime.rabbitmq.ClientDelivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The intake's size, content-type and content-encoding checks, then the decoding, for any properties and body:
 * a message or an {@link InvalidMessageException}, nothing else; a body over the limit is always rejected.
 * An input is the content type, the content encoding (each a string, absent when empty), then the body.
 */
class IntakeChecksFuzzTest {

    private static final int MAX_BYTES = 4_096;

    /** Never opened: these inputs are only decoded, nothing is published. */
    private static final Intake<LogEvent> INTAKE = Intake.forQueue(Topology.LOG_QUEUE, LogEvent.class, (event, publishedAt) -> event.timestamp().toInstant(),
            MAX_BYTES, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3), new SimpleMeterRegistry(),
            new FailureRouter(new ConfirmingPublisher(), "test-host", "test/1"));

    @FuzzTest
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void decodesOrRejectsAsInvalid(FuzzedDataProvider data) {
        String contentType = data.consumeString(80);
        String contentEncoding = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        ClientDelivery delivery = new ClientDelivery(Topology.LOG_QUEUE, Topology.LOG_EXCHANGE, "info.fuzz", false,
                new AMQP.BasicProperties.Builder().contentType(contentType.isEmpty() ? null : contentType)
                        .contentEncoding(contentEncoding.isEmpty() ? null : contentEncoding).build(), () -> true);
        try {
            assertThat(INTAKE.decode(body, delivery)).isNotNull();
            assertThat(body.length).isLessThanOrEqualTo(MAX_BYTES);
        } catch (InvalidMessageException e) {
            assertThat(e.reason()).isNotNull();
        }
    }
}
