package com.vivesphere.mq.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.vivesphere.mq.cli.BrokerOptions;
import com.vivesphere.mq.cli.CliException;
import com.vivesphere.mq.common.topology.Topology;

import picocli.CommandLine.Option;

/** Which queue holds the dead letters, and what its delivery limit is. */
public class DlqOptions {

    static final int QUORUM_DEFAULT_DELIVERY_LIMIT = 20;

    @Option(names = "--dead-letter-queue", defaultValue = Topology.DEAD_LETTER_QUEUE, paramLabel = "QUEUE",
            description = "The dead-letter queue (default ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = "--delivery-limit", paramLabel = "N",
            description = "The dead-letter queue's delivery limit, -1 for none (default: read from the management API; "
                    + "if unreachable, 20 on RabbitMQ 4.0+, none before).")
    Integer deliveryLimit;

    /** What a scan needs to know of the dead-letter queue: its type, and the delivery limit in force (or null). */
    record QueueFacts(boolean quorum, Integer deliveryLimit) {
    }

    /** From the management API; when it cannot answer, the safe assumption: a quorum queue with the default limit. */
    QueueFacts facts(BrokerOptions broker, BrokerVersion version) {
        Integer defaultLimit = version.quorumDefaultDeliveryLimit() ? QUORUM_DEFAULT_DELIVERY_LIMIT : null;
        QueueFacts facts;
        try {
            JsonNode info = broker.management().queue(queue);
            boolean quorum = "quorum".equals(info.path("type").asText());
            JsonNode argument = info.path("arguments").path("x-delivery-limit");
            JsonNode policy = info.path("effective_policy_definition").path("delivery-limit");
            JsonNode set = argument.isNumber() ? argument : policy;
            Integer limit = set.isNumber() ? Integer.valueOf(set.asInt()) : quorum ? defaultLimit : null;
            facts = new QueueFacts(quorum, limit);
        } catch (CliException e) {
            facts = new QueueFacts(true, defaultLimit);
        }
        Integer limit = deliveryLimit != null ? deliveryLimit : facts.deliveryLimit();
        return new QueueFacts(facts.quorum(), limit == null || limit < 0 ? null : limit);
    }
}
