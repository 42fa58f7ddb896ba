package com.vivesphere.mq.common.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

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
 *
 * delay_level_21 … delay_level_00 ──▶ delay_delivery (topic) ──#.&lt;queue&gt;──▶ each work queue
 * </pre>
 *
 * The delay levels carry retries and scheduled messages ({@link DelayLevels}).
 *
 * <p>
 * With {@link TopologySettings#logShards()} N above 1, {@code log_queue} is N queues, {@code log_queue.0} …
 * {@code log_queue.<N-1>}, each with its own Raft leader (placed on the least loaded node): {@code logs} routes
 * TRACE to WARN events to the consistent-hash exchange {@code log_shards}, which spreads them over the shards
 * by a hash of the routing key ({@code <level>.<service>}: a service's events of one level stay in order in one
 * shard). Producers are unchanged; ERROR and FATAL still go to {@code log_priority_queue}.
 */
public record Topology(List<Exchange> exchanges, List<Queue> queues, List<Binding> bindings) {

    public static final String LOG_EXCHANGE = "logs";
    public static final String BOT_ACTION_EXCHANGE = "bot_actions";
    public static final String DEAD_LETTER_EXCHANGE = "dlx";
    /** {@code BotActionResult}s, routing key {@code <status>.<botId>}; consumers bind their own queues. */
    public static final String BOT_ACTION_EVENT_EXCHANGE = "bot_action_events";
    /** With sharding only: spreads {@code log_queue}'s events over its shards (rabbitmq_consistent_hash_exchange). */
    public static final String LOG_SHARD_EXCHANGE = "log_shards";
    public static final String CONSISTENT_HASH = "x-consistent-hash";

    public static final String LOG_QUEUE = "log_queue";
    /** ERROR and FATAL events, consumed beside {@link #LOG_QUEUE} so they never wait behind a DEBUG backlog. */
    public static final String LOG_PRIORITY_QUEUE = "log_priority_queue";
    public static final String BOT_ACTION_QUEUE = "bot_action_queue";
    public static final String DEAD_LETTER_QUEUE = "dead_letter_queue";

    /** Work queues that retries and scheduled messages can be delayed to (and each shard of {@link #LOG_QUEUE}). */
    public static final List<String> DELAYABLE_QUEUES = List.of(LOG_QUEUE, LOG_PRIORITY_QUEUE, BOT_ACTION_QUEUE);
    private static final Pattern LOG_SHARD = Pattern.compile(Pattern.quote(LOG_QUEUE) + "\\.(0|[1-9][0-9]*)");

    public static final String ARG_QUEUE_TYPE = "x-queue-type";
    public static final String ARG_MESSAGE_TTL = "x-message-ttl";
    public static final String ARG_DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";
    public static final String ARG_DEAD_LETTER_STRATEGY = "x-dead-letter-strategy";
    public static final String ARG_OVERFLOW = "x-overflow";
    public static final String ARG_MAX_LENGTH_BYTES = "x-max-length-bytes";
    public static final String ARG_LEADER_LOCATOR = "x-queue-leader-locator";

    public record Exchange(String name, String type) {
    }

    /** A durable, non-exclusive queue; argument values are {@code String} or {@code Long}. */
    public record Queue(String name, Map<String, Object> arguments) {
        public Queue {
            arguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
    }

    /** Routes from exchange {@code source} to a queue or, for {@code toExchange}, another exchange. */
    public record Binding(String source, String destination, String routingKey, boolean toExchange) {

        public static Binding toQueue(String exchange, String queue, String routingKey) {
            return new Binding(exchange, queue, routingKey, false);
        }

        public static Binding toExchange(String source, String exchange, String routingKey) {
            return new Binding(source, exchange, routingKey, true);
        }
    }

    public Topology {
        exchanges = List.copyOf(exchanges);
        queues = List.copyOf(queues);
        bindings = List.copyOf(bindings);
    }

    /** The queues of {@link #LOG_QUEUE}'s events: that queue, or its {@code shards} shards. */
    public static List<String> logQueues(int shards) {
        return shardsOf(LOG_QUEUE, shards);
    }

    /** {@code queue} itself for 1 shard; else {@code <queue>.0} … {@code <queue>.<shards-1>}. */
    public static List<String> shardsOf(String queue, int shards) {
        return shards == 1 ? List.of(queue) : IntStream.range(0, shards).mapToObj(i -> queue + "." + i).toList();
    }

    /** Whether retries and scheduled messages can be delayed to {@code queue}. */
    public static boolean isDelayable(String queue) {
        return DELAYABLE_QUEUES.contains(queue) || isLogShard(queue);
    }

    /** Whether {@code queue} is a shard of {@link #LOG_QUEUE} ({@code log_queue.<n>}). */
    public static boolean isLogShard(String queue) {
        return LOG_SHARD.matcher(queue).matches();
    }

    /** How many shards this topology spreads {@link #LOG_QUEUE} over (1: none, the queue itself). */
    public int logShards() {
        return (int) Math.max(1, queues.stream().filter(q -> isLogShard(q.name())).count());
    }

    public static Topology standard(TopologySettings settings) {
        List<Exchange> exchanges = new ArrayList<>(List.of(
                new Exchange(LOG_EXCHANGE, "topic"),
                new Exchange(BOT_ACTION_EXCHANGE, "topic"),
                new Exchange(DEAD_LETTER_EXCHANGE, "topic"),
                new Exchange(BOT_ACTION_EVENT_EXCHANGE, "topic")));
        List<String> logQueues = logQueues(settings.logShards());
        boolean sharded = logQueues.size() > 1;
        List<Queue> queues = new ArrayList<>();
        for (String logQueue : logQueues) {
            queues.add(sharded ? shard(logQueue, settings) : workQueue(logQueue, settings));
        }
        queues.addAll(List.of(
                workQueue(LOG_PRIORITY_QUEUE, settings),
                workQueue(BOT_ACTION_QUEUE, settings),
                deadLetterQueue(settings)));
        List<Binding> bindings = new ArrayList<>();
        for (String level : List.of("trace", "debug", "info", "warn")) {
            bindings.add(sharded ? Binding.toExchange(LOG_EXCHANGE, LOG_SHARD_EXCHANGE, level + ".#")
                    : Binding.toQueue(LOG_EXCHANGE, LOG_QUEUE, level + ".#"));
        }
        if (sharded) {
            exchanges.add(new Exchange(LOG_SHARD_EXCHANGE, CONSISTENT_HASH));
            for (String shard : logQueues) {
                bindings.add(Binding.toQueue(LOG_SHARD_EXCHANGE, shard, "1")); // the weight: equal shares
            }
        }
        for (String level : List.of("error", "fatal")) {
            bindings.add(Binding.toQueue(LOG_EXCHANGE, LOG_PRIORITY_QUEUE, level + ".#"));
        }
        bindings.add(Binding.toQueue(BOT_ACTION_EXCHANGE, BOT_ACTION_QUEUE, "#"));
        bindings.add(Binding.toQueue(DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, "#"));
        List<String> delayable = new ArrayList<>(logQueues);
        delayable.addAll(List.of(LOG_PRIORITY_QUEUE, BOT_ACTION_QUEUE));
        addDelayLevels(settings, delayable, exchanges, queues, bindings);
        return new Topology(exchanges, queues, bindings);
    }

    private static void addDelayLevels(TopologySettings settings, List<String> delayable, List<Exchange> exchanges,
            List<Queue> queues, List<Binding> bindings) {
        exchanges.add(new Exchange(DelayLevels.DELIVERY_EXCHANGE, "topic"));
        for (int n = DelayLevels.LEVELS - 1; n >= 0; n--) {
            String level = DelayLevels.level(n);
            String next = n == 0 ? DelayLevels.DELIVERY_EXCHANGE : DelayLevels.level(n - 1);
            exchanges.add(new Exchange(level, "topic"));
            Map<String, Object> arguments = new LinkedHashMap<>();
            arguments.put(ARG_QUEUE_TYPE, settings.queueType().argument());
            arguments.put(ARG_MESSAGE_TTL, 1000L << n);
            arguments.put(ARG_DEAD_LETTER_EXCHANGE, next);
            atLeastOnceDeadLettering(settings, arguments);
            queues.add(new Queue(level, arguments));
            bindings.add(Binding.toQueue(level, level, DelayLevels.bitPattern(n, '1')));
            bindings.add(Binding.toExchange(level, next, DelayLevels.bitPattern(n, '0')));
        }
        for (String queue : delayable) {
            bindings.add(Binding.toQueue(DelayLevels.DELIVERY_EXCHANGE, queue, "#." + queue));
        }
    }

    private static Queue workQueue(String name, TopologySettings settings) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put(ARG_QUEUE_TYPE, settings.queueType().argument());
        arguments.put(ARG_MESSAGE_TTL, settings.messageTtl().toMillis());
        arguments.put(ARG_DEAD_LETTER_EXCHANGE, DEAD_LETTER_EXCHANGE);
        atLeastOnceDeadLettering(settings, arguments);
        return new Queue(name, arguments);
    }

    /** A work queue whose leader goes to the node with the fewest leaders, so the shards' leaders spread. */
    private static Queue shard(String name, TopologySettings settings) {
        Map<String, Object> arguments = new LinkedHashMap<>(workQueue(name, settings).arguments());
        if (settings.queueType() == QueueType.QUORUM) {
            arguments.put(ARG_LEADER_LOCATOR, "balanced");
        }
        return new Queue(name, arguments);
    }

    private static void atLeastOnceDeadLettering(TopologySettings settings, Map<String, Object> arguments) {
        if (settings.queueType() == QueueType.QUORUM) {
            // Quorum queues otherwise dead-letter at most once: a dead letter could be lost on a leader change.
            arguments.put(ARG_DEAD_LETTER_STRATEGY, "at-least-once");
            arguments.put(ARG_OVERFLOW, "reject-publish");
        }
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
