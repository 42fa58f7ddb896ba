package com.vivesphere.mq.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** JSON bodies as a producer in any language would write them by hand. */
public final class SampleMessages {

    private SampleMessages() {
    }

    public static String logEvent(UUID id, String level, String message) {
        return """
                {"schemaVersion":1,"id":"%s","timestamp":"%s","service":"test-service","level":"%s","message":"%s",\
                "attributes":{"k":"v"}}""".formatted(id, OffsetDateTime.now(ZoneOffset.UTC), level, message);
    }

    public static String likeAction(UUID actionId, String botId) {
        return """
                {"schemaVersion":1,"actionId":"%s","botId":"%s","type":"LIKE","targetPostId":"1234567890"}"""
                .formatted(actionId, botId);
    }
}
