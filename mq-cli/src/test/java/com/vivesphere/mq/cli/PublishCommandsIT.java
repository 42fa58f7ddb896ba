package com.vivesphere.mq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.GetResponse;
import com.vivesphere.mq.common.codec.MessageCodec;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionType;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.testing.DeadLetters;
import com.vivesphere.mq.testing.SampleMessages;
import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;

class PublishCommandsIT extends CliTestBase {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void publishLogFromOptionsTheDocumentedWay() throws Exception {
        declareTopology(QueueType.CLASSIC);

        Result result = mqctl("publish", "log", "--service", "auth-service", "--level", "error", "-m", "token refresh failed",
                "-a", "userId=42", "--trace-id", "4bf92f35");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String id = result.out().trim();
        assertThat(result.err()).contains("published LogEvent " + id + " to exchange 'logs' with key error.auth-service");
        List<GetResponse> messages = drain(Topology.LOG_PRIORITY_QUEUE);
        assertThat(messages).hasSize(1);
        GetResponse message = messages.get(0);
        assertThat(message.getProps().getMessageId()).isEqualTo(id);
        assertThat(message.getProps().getType()).isEqualTo(LogEvent.MESSAGE_TYPE);
        assertThat(message.getProps().getContentType()).isEqualTo("application/json");
        assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
        LogEvent event = codec.decoderFor(LogEvent.class).decode(message.getBody());
        assertThat(event.id()).hasToString(id);
        assertThat(event.level()).isEqualTo(LogLevel.ERROR);
        assertThat(event.attributes()).containsEntry("userId", "42");
        assertThat(event.traceId()).isEqualTo("4bf92f35");
    }

    @Test
    void publishActionFromAFileKeepsItsId(@TempDir Path dir) throws Exception {
        declareTopology(QueueType.CLASSIC);
        UUID id = UUID.randomUUID();
        Path file = dir.resolve("action.json");
        Files.writeString(file, SampleMessages.likeAction(id, "bot-7"));

        Result result = mqctl("publish", "action", "--file", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().trim()).isEqualTo(id.toString());
        BotAction action = codec.decoderFor(BotAction.class).decode(drain(Topology.BOT_ACTION_QUEUE).get(0).getBody());
        assertThat(action.actionId()).isEqualTo(id);
        assertThat(action.type()).isEqualTo(BotActionType.LIKE);
    }

    @Test
    void countAndRateSendTestTrafficWithAnIdEach() throws Exception {
        declareTopology(QueueType.CLASSIC);
        long start = System.nanoTime();

        Result result = mqctl("publish", "log", "--count", "40", "--rate", "200");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("published 40 LogEvent message(s) to exchange 'logs', all confirmed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(drain(Topology.LOG_QUEUE).stream().map(r -> r.getProps().getMessageId()).distinct()).hasSize(40);
    }

    @Test
    void aDelayedActionArrivesThroughTheDelayLevels() throws Exception {
        declareTopology(QueueType.CLASSIC);

        Result result = mqctl("publish", "action", "--bot-id", "bot-1", "--type", "follow", "--target-user-id", "99",
                "--delay", "1s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("to exchange 'delay_level_21'");
        await().atMost(Duration.ofSeconds(10)).until(() -> DeadLetters.ready(connection, Topology.BOT_ACTION_QUEUE) == 1);
    }

    @Test
    void anInvalidMessageIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        declareTopology(QueueType.CLASSIC);
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"schemaVersion\":1,\"actionId\":\"" + UUID.randomUUID() + "\",\"botId\":\"b\",\"type\":\"REPLY\",\"text\":\"hi\"}");

        Result fromFile = mqctl("publish", "action", "-f", file.toString());
        Result fromOptions = mqctl("publish", "action", "--bot-id", "b", "--type", "REPLY", "--text", "hi");
        Result noFile = mqctl("publish", "log", "-f", dir.resolve("none.json").toString());

        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFile.err()).contains("is not a valid BotAction (schema-invalid)", "targetPostId");
        assertThat(fromOptions.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromOptions.err()).contains("not a valid BotAction: targetPostId: required for REPLY");
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(DeadLetters.ready(connection, Topology.BOT_ACTION_QUEUE)).isZero();
    }

    @Test
    void publishingWithoutTheTopologyNamesTheMissingExchange() {
        Result result = mqctl("publish", "log");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).contains("no exchange 'logs'");
    }
}
