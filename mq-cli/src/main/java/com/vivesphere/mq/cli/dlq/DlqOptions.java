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

    /** The limit in force on the dead-letter queue, or null for none. */
    Integer deliveryLimit(BrokerOptions broker, BrokerVersion version) {
        if (deliveryLimit != null) {
            return deliveryLimit < 0 ? null : deliveryLimit;
        }
        try {
            JsonNode info = broker.management().queue(queue);
            JsonNode argument = info.path("arguments").path("x-delivery-limit");
            JsonNode policy = info.path("effective_policy_definition").path("delivery-limit");
            JsonNode set = argument.isNumber() ? argument : policy;
            if (set.isNumber()) {
                return set.asInt() < 0 ? null : set.asInt();
            }
            return "quorum".equals(info.path("type").asText()) && version.quorumDefaultDeliveryLimit()
                    ? QUORUM_DEFAULT_DELIVERY_LIMIT : null;
        } catch (CliException e) {
            return version.quorumDefaultDeliveryLimit() ? QUORUM_DEFAULT_DELIVERY_LIMIT : null;
        }
    }
}
