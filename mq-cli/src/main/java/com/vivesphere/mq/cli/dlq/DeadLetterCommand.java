package com.vivesphere.mq.cli.dlq;

import java.time.Instant;

import com.rabbitmq.client.Connection;
import com.vivesphere.mq.cli.BrokerCommand;
import com.vivesphere.mq.cli.BrokerOptions;

import picocli.CommandLine.Mixin;

/** Base of the {@code dlq} commands: connects, scans the dead-letter queue, always hands back what it held. */
abstract class DeadLetterCommand extends BrokerCommand {

    @Mixin
    BrokerOptions broker;

    @Mixin
    DlqOptions dlq;

    protected final Instant now = Instant.now();

    interface Work {
        int run(Connection connection, DeadLetterScan scan) throws Exception;
    }

    @Override
    protected String where() {
        return broker.describe();
    }

    protected int scan(String purpose, Work work) throws Exception {
        try (Connection connection = broker.connect("dlq " + purpose)) {
            DlqOptions.QueueFacts facts = dlq.facts(broker, BrokerVersion.of(connection));
            Integer limit = facts.deliveryLimit();
            int exitCode;
            DeadLetterScan scan = new DeadLetterScan(connection, dlq.queue, facts.quorum(), limit, broker.timeout());
            try {
                exitCode = work.run(connection, scan);
            } finally {
                scan.close();
            }
            if (scan.refreshed() > 0) {
                err().println("re-enqueued " + scan.refreshed() + " dead letter(s) at the tail of " + dlq.queue
                        + ": their delivery count was close to the queue's delivery limit (" + limit + ")");
            }
            scan.warnings().forEach(w -> err().println("warning: " + w));
            return exitCode;
        }
    }
}
