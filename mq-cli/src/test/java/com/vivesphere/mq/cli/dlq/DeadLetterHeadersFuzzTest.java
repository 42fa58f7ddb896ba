package com.vivesphere.mq.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.LongStringHelper;
import com.vivesphere.mq.common.failure.FailureHeaders;

/**
 * mqctl reads any dead letter, whatever its headers hold ({@code x-vs-*}, {@code x-death} and its entries, of any
 * AMQP type or shape): reading never fails, it shows what it can. The input picks headers and their values.
 */
class DeadLetterHeadersFuzzTest {

    private static final List<String> NAMES = List.of(FailureHeaders.REASON, FailureHeaders.LAST_FAILURE_AT,
            FailureHeaders.ATTEMPTS, FailureHeaders.ORIGINAL_QUEUE, FailureHeaders.ERROR_MESSAGE, "x-death",
            "x-first-death-reason", "x-first-death-queue", "x-delivery-count");
    private static final List<String> DEATH_FIELDS = List.of("time", "queue", "exchange", "reason", "routing-keys", "count");

    @FuzzTest
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void readsAnyHeaders(FuzzedDataProvider data) {
        Map<String, Object> headers = new HashMap<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            headers.put(data.pickValue(NAMES), value(data, 2));
        }
        String messageId = data.consumeBoolean() ? data.consumeString(40) : null;
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).messageId(messageId)
                .timestamp(data.consumeBoolean() ? new Date(data.consumeLong()) : null).build();
        GetResponse response = new GetResponse(new Envelope(1, false, "dlx", "#"), properties, data.consumeRemainingAsBytes(), 0);

        DeadLetter letter = DeadLetter.of(response, 1);

        assertThat(letter.id()).isNotBlank();
        assertThat(letter.source()).isIn(DeadLetter.WORKER, DeadLetter.BROKER, "unknown");
    }

    /** A header value of any type the AMQP client hands over, x-death's list of tables included. */
    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 0 ? 7 : 5)) {
            case 0 -> data.consumeString(40);
            case 1 -> LongStringHelper.asLongString(data.consumeBytes(40));
            case 2 -> data.consumeLong();
            case 3 -> new Date(data.consumeLong());
            case 4 -> data.consumeBytes(40);
            case 5 -> null;
            case 6 -> {
                Map<String, Object> death = new HashMap<>();
                int fields = data.consumeInt(0, DEATH_FIELDS.size());
                for (int i = 0; i < fields; i++) {
                    death.put(data.pickValue(DEATH_FIELDS), value(data, depth - 1));
                }
                yield death;
            }
            default -> {
                List<Object> list = new ArrayList<>();
                int items = data.consumeInt(0, 3);
                for (int i = 0; i < items; i++) {
                    list.add(value(data, depth - 1));
                }
                yield list;
            }
        };
    }
}
