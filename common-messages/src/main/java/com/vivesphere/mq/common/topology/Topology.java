package com.vivesphere.mq.common.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one definition of vivesphere-mq's exchanges, queues and bindings. The apps declare it at start,
 * {@code infrastructure/message_queue/definitions.json} is generated from it ({@link DefinitionsExport}).
 *
 * <pre>
 * logs (topic) ──trace.#|debug.#|info.#|warn.#──▶ log_queue          ─┐
 *             └──error.#|fatal.#──────────────▶ log_priority_queue ─┤ x-dead-letter-exchange
 * bot_actions (topic) ──#──▶ bot_action_queue ─────────────────────┤
 *                                                                   ▼
 *                                     dlx (topic) ──#──▶ dead_letter_queue
 * </pre>
 */
public record Topology(List<Exchange> exchanges, List<Queue> queues, List<Binding> bindings) {

    public static final String LOG_EXCHANGE = "logs";
    public static final String BOT_ACTION_EXCHANGE = "bot_actions";
    public static final String DEAD_LETTER_EXCHANGE = "dlx";

    public static final String LOG_QUEUE = "log_queue";
    /** ERROR and FATAL events, consumed beside {@link #LOG_QUEUE} so they never wait behind a DEBUG backlog. */
    public static final String LOG_PRIORITY_QUEUE = "log_priority_queue";
    public static final String BOT_ACTION_QUEUE = "bot_action_queue";
    public static final String DEAD_LETTER_QUEUE = "dead_letter_queue";

    public static final String ARG_QUEUE_TYPE = "x-queue-type";
    public static final String ARG_MESSAGE_TTL = "x-message-ttl";
    public static final String ARG_DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";
    public static final String ARG_DEAD_LETTER_STRATEGY = "x-dead-letter-strategy";
    public static final String ARG_OVERFLOW = "x-overflow";
    public static final String ARG_MAX_LENGTH_BYTES = "x-max-length-bytes";

    public record Exchange(String name, String type) {
    }

    /** A durable, non-exclusive queue; argument values are {@code String} or {@code Long}. */
    public record Queue(String name, Map<String, Object> arguments) {
        public Queue {
            arguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
    }

    public record Binding(String exchange, String queue, String routingKey) {
    }

    public Topology {
        exchanges = List.copyOf(exchanges);
        queues = List.copyOf(queues);
        bindings = List.copyOf(bindings);
    }

    public static Topology standard(TopologySettings settings) {
        List<Exchange> exchanges = List.of(
                new Exchange(LOG_EXCHANGE, "topic"),
                new Exchange(BOT_ACTION_EXCHANGE, "topic"),
                new Exchange(DEAD_LETTER_EXCHANGE, "topic"));
        List<Queue> queues = List.of(
                workQueue(LOG_QUEUE, settings),
                workQueue(LOG_PRIORITY_QUEUE, settings),
                workQueue(BOT_ACTION_QUEUE, settings),
                deadLetterQueue(settings));
        List<Binding> bindings = new ArrayList<>();
        for (String level : List.of("trace", "debug", "info", "warn")) {
            bindings.add(new Binding(LOG_EXCHANGE, LOG_QUEUE, level + ".#"));
        }
        for (String level : List.of("error", "fatal")) {
            bindings.add(new Binding(LOG_EXCHANGE, LOG_PRIORITY_QUEUE, level + ".#"));
        }
        bindings.add(new Binding(BOT_ACTION_EXCHANGE, BOT_ACTION_QUEUE, "#"));
        bindings.add(new Binding(DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, "#"));
        return new Topology(exchanges, queues, bindings);
    }

    private static Queue workQueue(String name, TopologySettings settings) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put(ARG_QUEUE_TYPE, settings.queueType().argument());
        arguments.put(ARG_MESSAGE_TTL, settings.messageTtl().toMillis());
        arguments.put(ARG_DEAD_LETTER_EXCHANGE, DEAD_LETTER_EXCHANGE);
        if (settings.queueType() == QueueType.QUORUM) {
            // Quorum queues otherwise dead-letter at most once: a dead letter could be lost on a leader change.
            arguments.put(ARG_DEAD_LETTER_STRATEGY, "at-least-once");
            arguments.put(ARG_OVERFLOW, "reject-publish");
        }
        return new Queue(name, arguments);
    }

    /** Bounded by age and by size (oldest dropped first) so dead letters can never fill the broker's disk. */
    private static Queue deadLetterQueue(TopologySettings settings) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put(ARG_QUEUE_TYPE, settings.queueType().argument());
        arguments.put(ARG_MESSAGE_TTL, settings.deadLetterTtl().toMillis());
        arguments.put(ARG_MAX_LENGTH_BYTES, settings.deadLetterMaxBytes());
        return new Queue(DEAD_LETTER_QUEUE, arguments);
    }

    public Queue queue(String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no queue " + name + " in the topology"));
    }
}
