package com.vivesphere.mq.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Java producers build the records directly; the records enforce the contract themselves. */
class MessageRecordsTest {

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC);

    @Test
    void immutableCollectionsAreAccepted() {
        LogEvent event = new LogEvent(LogEvent.SCHEMA_VERSION, UUID.randomUUID(), NOW, "svc", LogLevel.INFO, "m", null, null,
                null, Map.of("a", "b"));
        assertThat(event.attributes()).containsEntry("a", "b");
        BotAction action = new BotAction(1, UUID.randomUUID(), "bot", BotActionType.POST, null, null, null, List.of("m1"), null,
                null, null, null);
        assertThat(action.mediaIds()).containsExactly("m1");
    }

    @Test
    void nullElementsAreRefusedByName() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("a", null);
        assertThatThrownBy(() -> new LogEvent(1, UUID.randomUUID(), NOW, "svc", LogLevel.INFO, "m", null, null, null, attributes))
                .hasMessage("attributes: must not contain null");
        assertThatThrownBy(() -> new BotAction(1, UUID.randomUUID(), "bot", BotActionType.POST, null, null, null,
                Arrays.asList("m1", null), null, null, null, null)).hasMessage("mediaIds: must not contain null");
    }

    @Test
    void collectionsAreCopied() {
        Map<String, String> attributes = new HashMap<>(Map.of("a", "b"));
        LogEvent event = LogEvent.of(NOW, "svc", LogLevel.WARN, "m");
        LogEvent withAttributes = new LogEvent(1, event.id(), NOW, "svc", LogLevel.WARN, "m", null, null, null, attributes);
        attributes.put("c", "d");
        assertThat(withAttributes.attributes()).containsOnlyKeys("a");
        assertThat(event.routingKey()).isEqualTo("warn.svc");
    }

    @Test
    void anActionIsDueAtItsCreationOrItsNotBeforeWhicheverIsLater() {
        Instant created = NOW.toInstant();
        assertThat(like(null).dueSince(created)).isEqualTo(created);
        assertThat(like(NOW.plusMinutes(5)).dueSince(created)).isEqualTo(created.plusSeconds(300));
        assertThat(like(NOW.minusMinutes(5)).dueSince(created)).isEqualTo(created);
        assertThat(like(NOW.plusMinutes(5)).dueSince(null)).isEqualTo(created.plusSeconds(300));
        assertThat(like(null).dueSince(null)).isNull();
    }

    private static BotAction like(OffsetDateTime notBefore) {
        return new BotAction(1, UUID.randomUUID(), "bot", BotActionType.LIKE, null, "123", null, null, notBefore, null, null,
                null);
    }
}
