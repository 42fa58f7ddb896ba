package com.vivesphere.mq.common.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.testing.DocSnippets;

/** The documentation's message examples (docs/publishing.md) are valid for both the JSON Schemas and the Java records. */
class DocExamplesTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void logEventExample() throws Exception {
        String json = DocSnippets.snippet("log-event-json");
        assertThat(SchemaContract.violations(SchemaContract.schema(SchemaContract.LOG_EVENT), json)).isEmpty();
        LogEvent event = codec.decoderFor(LogEvent.class).decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.level()).isEqualTo(LogLevel.ERROR);
        assertThat(event.attributes()).containsEntry("region", "eu-west-1");
        assertThat(event.timestamp().getOffset().getTotalSeconds()).isEqualTo(3600);
    }

    @Test
    void botActionExample() throws Exception {
        String json = DocSnippets.snippet("bot-action-json");
        assertThat(SchemaContract.violations(SchemaContract.schema(SchemaContract.BOT_ACTION), json)).isEmpty();
        BotAction action = codec.decoderFor(BotAction.class).decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(action.type()).isEqualTo(BotActionType.POST);
        assertThat(action.mediaIds()).containsExactly("1455952740635586573");
        assertThat(action.routingKey()).isEqualTo("post.bot-42");
    }

    @Test
    void encodedRecordsReadBackEqualAndFollowTheSchema() throws Exception {
        LogEvent event = codec.decoderFor(LogEvent.class)
                .decode(DocSnippets.snippet("log-event-json").getBytes(StandardCharsets.UTF_8));
        String encoded = new String(codec.encode(event), StandardCharsets.UTF_8);
        assertThat(SchemaContract.violations(SchemaContract.schema(SchemaContract.LOG_EVENT), encoded)).isEmpty();
        assertThat(codec.decoderFor(LogEvent.class).decode(encoded.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
    }
}
