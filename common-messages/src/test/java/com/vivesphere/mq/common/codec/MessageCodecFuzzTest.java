package com.vivesphere.mq.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionResult;
import com.vivesphere.mq.common.message.LogEvent;

/**
 * Any body, decoded as any message type, is a message or an {@link InvalidMessageException} with a reason;
 * a decoded message encodes and decodes to itself. The last byte of an input picks the type (0 log event,
 * 1 bot action, 2 bot action result), the rest is the body. See docs/testing.md#fuzzing.
 */
class MessageCodecFuzzTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final List<MessageCodec.Decoder<?>> DECODERS = List.of(CODEC.decoderFor(LogEvent.class),
            CODEC.decoderFor(BotAction.class), CODEC.decoderFor(BotActionResult.class));

    @FuzzTest
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void decodesOrRejectsAsInvalid(FuzzedDataProvider data) throws InvalidMessageException {
        MessageCodec.Decoder<?> decoder = DECODERS.get(data.consumeInt(0, DECODERS.size() - 1));
        Object message;
        try {
            message = decoder.decode(data.consumeRemainingAsBytes());
        } catch (InvalidMessageException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(decoder.decode(CODEC.encode(message))).isEqualTo(message);
    }
}
