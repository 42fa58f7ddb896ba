package com.vivesphere.mq.cli.publish;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.vivesphere.mq.cli.ExitCodes;
import com.vivesphere.mq.common.message.LogEvent;
import com.vivesphere.mq.common.message.LogLevel;
import com.vivesphere.mq.common.publish.MessagePublisher;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = { "Publish a LogEvent.", "Publish a LogEvent to exchange 'logs' with key <level>.<service> (ERROR and FATAL reach "
                + "log_priority_queue, the others log_queue), from options or a JSON file; prints its id." },
        footer = { "", "Examples:", "  mqctl publish log --service auth-service --level error --message 'token refresh failed'",
                "  mqctl publish log -a userId=42 -a region=eu-west-1 --message 'user signed in'",
                "  mqctl publish log --file event.json", "  mqctl publish log --count 10000 --rate 500   # test traffic",
                "", ExitCodes.HELP_SECTION })
public class PublishLog extends PublishingCommand<LogEvent> {

    @Option(names = "--id", paramLabel = "UUID", description = "Event id (default: a random one).")
    UUID id;

    @Option(names = "--service", defaultValue = "mqctl", description = "Service name (default ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--level", defaultValue = "INFO", converter = LevelConverter.class,
            description = "TRACE, DEBUG, INFO, WARN, ERROR or FATAL (default ${DEFAULT-VALUE}).")
    LogLevel level;

    @Option(names = { "-m", "--message" }, defaultValue = "test event from mqctl", description = "The log line.")
    String message;

    @Option(names = "--logger", description = "Logger name.")
    String logger;

    @Option(names = "--trace-id", description = "Trace id.")
    String traceId;

    @Option(names = "--span-id", description = "Span id.")
    String spanId;

    @Option(names = { "-a", "--attribute" }, paramLabel = "KEY=VALUE", description = "An attribute; repeatable.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    protected LogEvent fromOptions() {
        return new LogEvent(LogEvent.SCHEMA_VERSION, id != null ? id : UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC),
                service, level, message, logger, traceId, spanId, attributes);
    }

    @Override
    protected LogEvent withNewId(LogEvent e) {
        OffsetDateTime timestamp = traffic.file != null ? e.timestamp() : OffsetDateTime.now(ZoneOffset.UTC);
        return new LogEvent(e.schemaVersion(), UUID.randomUUID(), timestamp, e.service(), e.level(), e.message(), e.logger(),
                e.traceId(), e.spanId(), e.attributes());
    }

    @Override
    protected Outgoing outgoing(LogEvent event) {
        String id = event.id().toString();
        return new Outgoing(id, Topology.LOG_EXCHANGE, event.routingKey(), MessagePublisher.properties(id, LogEvent.MESSAGE_TYPE),
                codec.encode(event));
    }

    @Override
    protected Class<LogEvent> type() {
        return LogEvent.class;
    }

    public static class LevelConverter extends com.vivesphere.mq.cli.EnumConverter<LogLevel> {
        public LevelConverter() {
            super(LogLevel.class);
        }
    }
}
