package com.vivesphere.mq.cli.publish;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.vivesphere.mq.cli.DurationConverter;
import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.common.message.BotAction;
import com.vivesphere.mq.common.message.BotActionType;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.DelayLevels;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "action", mixinStandardHelpOptions = true,
        description = { "Publish a BotAction.", "Publish a BotAction to exchange 'bot_actions' with key <type>.<botId> (to bot_action_queue), "
                + "or with --delay through the delay levels; from options or a JSON file; prints its id. "
                + "bot-action-worker executes what it receives: use a test bot." },
        footer = { "", "Examples:", "  mqctl publish action --bot-id bot-test --type LIKE --target-post-id 1455952740635586573",
                "  mqctl publish action --bot-id bot-test --type POST --text 'Good morning!' --delay 65s",
                "  mqctl publish action --file action.json --count 100 --rate 10", "", ExitCodes.HELP_SECTION })
public class PublishAction extends PublishingCommand<BotAction> {

    @Option(names = "--id", paramLabel = "UUID", description = "Action id, the idempotency key (default: a random one).")
    UUID id;

    @Option(names = "--bot-id", description = "The bot (required without --file).")
    String botId;

    @Option(names = "--type", converter = TypeConverter.class,
            description = "POST, REPLY, QUOTE, DELETE, LIKE, UNLIKE, REPOST, UNREPOST, FOLLOW, UNFOLLOW (required without --file).")
    BotActionType type;

    @Option(names = "--text", description = "Text (POST, REPLY, QUOTE).")
    String text;

    @Option(names = "--target-post-id", description = "Post (REPLY, QUOTE, DELETE, LIKE, UNLIKE, REPOST, UNREPOST).")
    String targetPostId;

    @Option(names = "--target-user-id", description = "User (FOLLOW, UNFOLLOW).")
    String targetUserId;

    @Option(names = "--media-id", description = "Media id (POST); repeatable.")
    List<String> mediaIds = new ArrayList<>();

    @Option(names = "--not-before", paramLabel = "ISO-8601", description = "Not to be executed before this time.")
    OffsetDateTime notBefore;

    @Option(names = "--expires-at", paramLabel = "ISO-8601", description = "Not to be executed after this time.")
    OffsetDateTime expiresAt;

    @Option(names = "--correlation-id", description = "Correlation id.")
    String correlationId;

    @Option(names = "--requested-by", defaultValue = "mqctl", description = "Who asks (default ${DEFAULT-VALUE}).")
    String requestedBy;

    @Option(names = "--delay", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Deliver to bot_action_queue after this delay (whole seconds, through the delay levels).")
    Duration delay;

    @Override
    protected BotAction fromOptions() {
        if (botId == null || type == null) {
            throw new IllegalArgumentException("--bot-id and --type are required (or give --file)");
        }
        return new BotAction(LogEvent.SCHEMA_VERSION, id != null ? id : UUID.randomUUID(), botId, type, text, targetPostId, targetUserId, mediaIds,
                notBefore, expiresAt, correlationId, requestedBy);
    }

    @Override
    protected BotAction withNewId(BotAction a) {
        return new BotAction(a.schemaVersion(), UUID.randomUUID(), a.botId(), a.type(), a.text(), a.targetPostId(),
                a.targetUserId(), a.mediaIds(), a.notBefore(), a.expiresAt(), a.correlationId(), a.requestedBy());
    }

    @Override
    protected Outgoing outgoing(BotAction action) {
        String id = action.actionId().toString();
        var properties = MessagePublisher.properties(id, BotAction.MESSAGE_TYPE);
        byte[] body = codec.encode(action);
        if (delay != null) {
            return new Outgoing(id, DelayLevels.entryExchange(), DelayLevels.routingKey(delay, Topology.BOT_ACTION_QUEUE),
                    properties, body);
        }
        return new Outgoing(id, Topology.BOT_ACTION_EXCHANGE, action.routingKey(), properties, body);
    }

    @Override
    protected Class<BotAction> type() {
        return BotAction.class;
    }

    public static class TypeConverter extends com.vivesphere.mq.cli.EnumConverter<BotActionType> {
        public TypeConverter() {
            super(BotActionType.class);
        }
    }
}
