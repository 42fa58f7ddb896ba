package com.vivesphere.mq.logconsumer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;

class NulReplacementTest {

    private static LogEvent event(String message, Map<String, String> attributes) {
        return new LogEvent(LogEvent.SCHEMA_VERSION, UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), "svc\u0000x",
                LogLevel.INFO, message, "log\u0000ger", "trace\u0000", null, attributes);
    }

    @Test
    void anEventWithoutNulIsTheSameInstance() {
        LogEvent event = LogEvent.of(OffsetDateTime.now(ZoneOffset.UTC), "svc", LogLevel.WARN, "plain text ✓");

        assertThat(NulReplacement.apply(event)).isSameAs(event);
    }

    @Test
    void everyNulOfEveryTextIsReplacedAndTheRestKept() {
        LogEvent event = event("a\u0000b\u0000", Map.of("k\u0000", "v\u0000", "plain", "value"));

        LogEvent stored = NulReplacement.apply(event);

        assertThat(stored).isNotSameAs(event);
        assertThat(stored.service()).isEqualTo("svc\uFFFDx");
        assertThat(stored.message()).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(stored.logger()).isEqualTo("log\uFFFDger");
        assertThat(stored.traceId()).isEqualTo("trace\uFFFD");
        assertThat(stored.spanId()).isNull();
        assertThat(stored.attributes()).isEqualTo(Map.of("k\uFFFD", "v\uFFFD", "plain", "value"));
        assertThat(stored.id()).isEqualTo(event.id());
        assertThat(stored.timestamp()).isEqualTo(event.timestamp());
        assertThat(stored.level()).isEqualTo(event.level());
    }

    @Test
    void aNulOnlyInAnAttributeIsFound() {
        LogEvent event = LogEvent.of(OffsetDateTime.now(ZoneOffset.UTC), "svc", LogLevel.INFO, "m");
        LogEvent withAttribute = new LogEvent(event.schemaVersion(), event.id(), event.timestamp(), event.service(),
                event.level(), event.message(), null, null, null, Map.of("k", "v\u0000"));

        assertThat(NulReplacement.apply(withAttribute).attributes()).containsEntry("k", "v\uFFFD");
    }
}
