package com.vivesphere.mq.logconsumer.store;

import java.util.LinkedHashMap;
import java.util.Map;

import com.vivesphere.mq.common.message.LogEvent;

/**
 * PostgreSQL's {@code text} and {@code jsonb} cannot hold U+0000, which JSON ({@code "\u0000"}) and the
 * contract allow: such an event is stored with each NUL replaced by U+FFFD (the Unicode replacement
 * character, one {@code char} too, so no length limit is crossed) instead of being refused.
 */
final class NulReplacement {

    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';

    private NulReplacement() {
    }

    /** The event itself when no text of it holds a NUL (the common case, checked without copying), else a copy without. */
    static LogEvent apply(LogEvent event) {
        if (!hasNul(event.service()) && !hasNul(event.message()) && !hasNul(event.logger()) && !hasNul(event.traceId())
                && !hasNul(event.spanId()) && !hasNul(event.attributes())) {
            return event;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        event.attributes().forEach((key, value) -> attributes.put(replace(key), replace(value)));
        return new LogEvent(event.schemaVersion(), event.id(), event.timestamp(), replace(event.service()), event.level(),
                replace(event.message()), replace(event.logger()), replace(event.traceId()), replace(event.spanId()),
                attributes);
    }

    private static boolean hasNul(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }

    private static boolean hasNul(Map<String, String> attributes) {
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (hasNul(attribute.getKey()) || hasNul(attribute.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static String replace(String text) {
        return text == null ? null : text.replace(NUL, REPLACEMENT);
    }
}
