package com.vivesphere.mq.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.failure.FailureReason;
import com.vivesphere.mq.common.failure.InvalidMessageException;
import com.vivesphere.mq.common.message.LogEvent;

class MessageCodecTest {

    private final MessageCodec.Decoder<LogEvent> decoder = new MessageCodec().decoderFor(LogEvent.class);

    @Test
    void truncatedJsonIsMalformed() {
        assertReason("{\"schemaVersion\":1,\"id\":", FailureReason.MALFORMED_JSON);
    }

    @Test
    void randomBytesAreMalformed() {
        assertRejected(new byte[] { 0x00, (byte) 0xff, 0x13, 0x37 }, FailureReason.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = ("{\"schemaVersion\":1,\"id\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\",\"timestamp\":\"2026-11-26T10:15:30Z\","
                + "\"service\":\"a\",\"level\":\"INFO\",\"message\":\"caf\u00e9 \u00ff\"}").getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(body, FailureReason.MALFORMED_JSON);
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertReason("{\"schemaVersion\":1,\"schemaVersion\":1}", FailureReason.MALFORMED_JSON);
    }

    @Test
    void deeplyNestedUnknownFieldIsRefusedWithoutExhaustingTheStack() {
        String nested = "[".repeat(5_000) + "]".repeat(5_000);
        assertReason("{\"extra\":" + nested + "}", FailureReason.MALFORMED_JSON);
    }

    @Test
    void anEmptyBodyIsMalformed() {
        assertReason("", FailureReason.MALFORMED_JSON);
        assertReason(" \n\t", FailureReason.MALFORMED_JSON);
    }

    @Test
    void aSecondValueAfterTheDocumentIsMalformed() {
        assertReason("{\"schemaVersion\":1,\"id\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\",\"timestamp\":\"2026-11-26T10:15:30Z\","
                + "\"service\":\"a\",\"level\":\"INFO\",\"message\":\"m\"} {}", FailureReason.MALFORMED_JSON);
        assertReason("null 1", FailureReason.MALFORMED_JSON);
    }

    @Test
    void aSyntaxErrorAfterAnOffContractValueIsMalformed() {
        // "abc" is no UUID, and binding stops there; the document is broken further on all the same
        assertReason("{\"schemaVersion\": 1, \"id\": \"abc\", broken", FailureReason.MALFORMED_JSON);
        assertReason("{\"schemaVersion\": 1, \"level\": \"LOUD\", \"message\": \"m\"} {}", FailureReason.MALFORMED_JSON);
        assertReason("{\"schemaVersion\": \"one\", \"id\": 1, \"id\": 2}", FailureReason.MALFORMED_JSON);
    }

    @Test
    void anOffContractValueInAWellFormedDocumentIsSchemaInvalid() {
        assertReason("{\"schemaVersion\": 1, \"id\": \"abc\", \"message\": [1, {\"deep\": true}]}", FailureReason.SCHEMA_INVALID);
        // nested deeper than the reader allows, but well-formed: a root array is off the contract before that
        assertReason("[".repeat(5_000) + "]".repeat(5_000), FailureReason.SCHEMA_INVALID);
    }

    @Test
    void jsonNullIsSchemaInvalid() {
        assertReason("null", FailureReason.SCHEMA_INVALID);
    }

    @Test
    void theDetailNamesTheField() {
        assertThatThrownBy(() -> decoder.decode("{\"schemaVersion\":1,\"id\":\"5b0c1f7e-8d0a-4a61-9a57-2a9f4f1f0b11\",\"timestamp\":\"2026-11-26T10:15:30Z\",\"service\":\"a\",\"level\":\"LOUD\",\"message\":\"m\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).startsWith("level:").contains("LOUD");
                });
        assertThatThrownBy(() -> decoder.decode("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.getMessage()).contains("'id'"));
    }

    @Test
    void detailsAreCapped() {
        String longKey = "k".repeat(5_000);
        assertThatThrownBy(() -> decoder.decode(("{\"" + longKey).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.getMessage().length()).isLessThanOrEqualTo(301));
    }

    private void assertReason(String body, FailureReason reason) {
        assertRejected(body.getBytes(StandardCharsets.UTF_8), reason);
    }

    private void assertRejected(byte[] body, FailureReason reason) {
        assertThatThrownBy(() -> decoder.decode(body))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
