package com.vivesphere.mq.cli.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.rabbitmq.client.AMQP;
import com.vivesphere.mq.common.failure.Redactor;

/** Dead letters as plain maps for {@code --json} and {@code show}: header values and body with secrets redacted. */
final class DeadLetterJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DeadLetterJson() {
    }

    static Map<String, Object> summary(DeadLetter d, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("position", d.position());
        m.put("source", d.source());
        m.put("originalQueue", d.originalQueue());
        m.put("originalExchange", d.originalExchange());
        m.put("originalRoutingKey", d.originalRoutingKey());
        m.put("reason", d.reason());
        m.put("failureClass", d.failureClass());
        m.put("errorType", d.errorType());
        m.put("errorMessage", Redactor.redact(d.errorMessage()));
        m.put("attempts", d.attempts());
        m.put("deadLetteredAt", d.deadLetteredAt() == null ? null : d.deadLetteredAt().toString());
        Duration age = d.age(now);
        m.put("ageSeconds", age == null ? null : age.getSeconds());
        m.put("deliveryCount", d.deliveryCount());
        m.put("type", d.properties().getType());
        m.put("bodyBytes", d.body().length);
        return m;
    }

    static Map<String, Object> full(DeadLetter d, Instant now) {
        Map<String, Object> m = summary(d, now);
        m.put("properties", properties(d.properties()));
        m.put("headers", headers(d.headers()));
        m.put("body", body(d.body()));
        return m;
    }

    static Map<String, Object> properties(AMQP.BasicProperties p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("content-type", p.getContentType());
        m.put("content-encoding", p.getContentEncoding());
        m.put("delivery-mode", p.getDeliveryMode());
        m.put("priority", p.getPriority());
        m.put("correlation-id", p.getCorrelationId());
        m.put("reply-to", p.getReplyTo());
        m.put("expiration", p.getExpiration());
        m.put("message-id", p.getMessageId());
        m.put("timestamp", p.getTimestamp() == null ? null : p.getTimestamp().toInstant().toString());
        m.put("type", p.getType());
        m.put("user-id", p.getUserId());
        m.put("app-id", p.getAppId());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /** Header values as JSON-friendly values, every text redacted. */
    static Map<String, Object> headers(Map<String, Object> headers) {
        Map<String, Object> m = new TreeMap<>();
        headers.forEach((k, v) -> m.put(k, plain(v)));
        return m;
    }

    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(String.valueOf(k), plain(v)));
            return m;
        }
        if (value instanceof List<?> list) {
            List<Object> l = new ArrayList<>();
            list.forEach(v -> l.add(plain(v)));
            return l;
        }
        if (value instanceof Number || value instanceof Boolean || value == null) {
            return value;
        }
        return Redactor.redact(DeadLetter.text(value));
    }

    /** The body as JSON when it is JSON, else as text, else as a note; secrets redacted either way. */
    static Object body(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return "(" + body.length + " bytes, not UTF-8 text)";
        }
        try {
            JsonNode json = JSON.readTree(text);
            if (json != null && (json.isObject() || json.isArray())) {
                return JSON.readTree(Redactor.redact(JSON.writeValueAsString(json)));
            }
        } catch (java.io.IOException e) {
            // not JSON: shown as text
        }
        return Redactor.redact(text);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
